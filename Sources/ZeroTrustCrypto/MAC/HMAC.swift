public import Foundation
internal import CZeroTrustOpenSSL
internal import CZeroTrustShims

/// HMAC (RFC 2104) with SHA-256, SHA-384 or SHA-512 through OpenSSL's `EVP_MAC`.
///
/// ```swift
/// let key = SymmetricKey(size: .bits256)
/// let tag = try HMAC.authenticationCode(for: message, using: key, algorithm: .sha256)
/// let ok = try HMAC.isValidAuthenticationCode(tag, authenticating: message, using: key, algorithm: .sha256)
/// ```
///
/// Incremental use: create an `HMAC`, `update(_:)` it, then ``finalize()``. Copying an
/// incremental HMAC forks its state. To compute many tags under one key without allocating, use
/// ``HMACContext``.
public struct HMAC: Sendable {
    /// The hash function.
    public let algorithm: HashAlgorithm
    private var context: MACContext

    /// Starts an incremental HMAC under `key`.
    public init(key: SymmetricKey, algorithm: HashAlgorithm) throws {
        self.algorithm = algorithm
        self.context = try MACContext(key: key, algorithm: algorithm)
    }

    /// Feeds `data` into the MAC.
    public mutating func update(_ data: some ContiguousBytes) throws {
        try data.withUnsafeBytes { buffer in try update(buffer) }
    }

    /// Feeds raw bytes into the MAC.
    public mutating func update(_ buffer: UnsafeRawBufferPointer) throws {
        if !isKnownUniquelyReferenced(&context) { context = try context.copy() }
        try context.update(buffer)
    }

    /// Finishes the MAC. The value is consumed; copy it first to keep going.
    public consuming func finalize() throws -> MessageAuthenticationCode {
        if !isKnownUniquelyReferenced(&context) { context = try context.copy() }
        return try context.finalize(byteCount: algorithm.digestByteCount)
    }

    /// The HMAC of `data` under `key`.
    public static func authenticationCode(for data: some ContiguousBytes, using key: SymmetricKey,
                                          algorithm: HashAlgorithm) throws -> MessageAuthenticationCode {
        let context = try MACContext(key: key, algorithm: algorithm)
        try data.withUnsafeBytes { buffer in try context.update(buffer) }
        return try context.finalize(byteCount: algorithm.digestByteCount)
    }

    /// Whether `code` is the full-length HMAC of `data` under `key`, compared in constant time.
    /// Truncated tags are refused: a shorter `code` never validates.
    public static func isValidAuthenticationCode(_ code: some ContiguousBytes, authenticating data: some ContiguousBytes,
                                                 using key: SymmetricKey, algorithm: HashAlgorithm) throws -> Bool {
        let expected = try authenticationCode(for: data, using: key, algorithm: algorithm)
        return constantTimeEquals(expected.bytes, code)
    }
}

/// Owns one `EVP_MAC_CTX` keyed for HMAC. Sound as `@unchecked Sendable` because it only ever
/// has one user at a time: `HMAC` mutates it only while holding the only reference
/// (copy-on-write, as `DigestContext`), and `HMACKey` hands each pooled context to one caller.
final class MACContext: @unchecked Sendable {
    let ctx: OpaquePointer

    init(key: SymmetricKey, algorithm: HashAlgorithm) throws(CryptoError) {
        OpenSSLErrorQueue.clear()
        guard let mac = zt_mac_hmac(), let ctx = EVP_MAC_CTX_new(mac) else {
            throw CryptoError.openSSLFailure("EVP_MAC_CTX_new")
        }
        self.ctx = ctx
        // OpenSSL refuses a NULL key pointer, so an empty key points at a dummy byte.
        let empty: UInt8 = 0
        let status = key.withUnsafeBytes { k in
            withUnsafeBytes(of: empty) { dummy in
                zt_hmac_init(ctx, k.count > 0 ? k.baseAddress : dummy.baseAddress, k.count, algorithm.openSSLName)
            }
        }
        try requireOpenSSL(status, "EVP_MAC_init")
    }

    private init(copyOf other: MACContext) throws(CryptoError) {
        OpenSSLErrorQueue.clear()
        guard let ctx = EVP_MAC_CTX_dup(other.ctx) else { throw CryptoError.openSSLFailure("EVP_MAC_CTX_dup") }
        self.ctx = ctx
    }

    deinit { EVP_MAC_CTX_free(ctx) }

    func copy() throws(CryptoError) -> MACContext { try MACContext(copyOf: self) }

    /// Restarts the MAC under the same key, without allocating.
    func reset() throws(CryptoError) {
        try requireOpenSSL(zt_hmac_init(ctx, nil, 0, nil), "EVP_MAC_init")
    }

    func update(_ buffer: UnsafeRawBufferPointer) throws(CryptoError) {
        guard buffer.count > 0, let base = buffer.baseAddress else { return }
        try requireOpenSSL(EVP_MAC_update(ctx, base.assumingMemoryBound(to: UInt8.self), buffer.count), "EVP_MAC_update")
    }

    func finalize(into out: UnsafeMutableRawBufferPointer) throws(CryptoError) -> Int {
        var length = 0
        try requireOpenSSL(
            EVP_MAC_final(ctx, out.baseAddress?.assumingMemoryBound(to: UInt8.self), &length, out.count), "EVP_MAC_final")
        return length
    }

    func finalize(byteCount: Int) throws(CryptoError) -> MessageAuthenticationCode {
        OpenSSLErrorQueue.clear()
        let bytes = try [UInt8](unsafeUninitializedCapacity: byteCount) { (out, count) throws(CryptoError) in
            count = try finalize(into: UnsafeMutableRawBufferPointer(out))
        }
        return MessageAuthenticationCode(bytes: bytes)
    }
}
