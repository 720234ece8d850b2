public import Foundation
internal import CZeroTrustOpenSSL

/// SHA-256, SHA-384 and SHA-512 through OpenSSL's EVP interface, one-shot or incremental.
///
/// ```swift
/// let digest = try SHA2.hash(Array("abc".utf8), using: .sha256)
///
/// var hasher = try SHA2(.sha512)
/// try hasher.update(chunk1)
/// try hasher.update(chunk2)
/// let digest512 = try hasher.finalize()
/// ```
///
/// An incremental hasher is a value: copying it forks the state (copy-on-write).
public struct SHA2: Sendable {
    /// The hash function.
    public let algorithm: HashAlgorithm
    private var context: DigestContext

    /// Starts an incremental hash.
    public init(_ algorithm: HashAlgorithm) throws {
        self.algorithm = algorithm
        self.context = try DigestContext(algorithm)
    }

    /// Feeds `data` into the hash.
    public mutating func update(_ data: some ContiguousBytes) throws {
        try data.withUnsafeBytes { buffer in try update(buffer) }
    }

    /// Feeds raw bytes into the hash.
    public mutating func update(_ buffer: UnsafeRawBufferPointer) throws {
        if !isKnownUniquelyReferenced(&context) { context = try context.copy() }
        try context.update(buffer)
    }

    /// Finishes the hash. The hasher is consumed; copy it first to keep hashing.
    public consuming func finalize() throws -> Digest {
        if !isKnownUniquelyReferenced(&context) { context = try context.copy() }
        return try context.finalize(byteCount: algorithm.digestByteCount)
    }

    /// Hashes `data` in one call.
    public static func hash(_ data: some ContiguousBytes, using algorithm: HashAlgorithm) throws -> Digest {
        try data.withUnsafeBytes { buffer in try hash(buffer, using: algorithm) }
    }

    /// Hashes raw bytes in one call.
    public static func hash(_ buffer: UnsafeRawBufferPointer, using algorithm: HashAlgorithm) throws -> Digest {
        let md = try algorithm.evpMD()
        var size: UInt32 = 0
        let bytes = try [UInt8](unsafeUninitializedCapacity: algorithm.digestByteCount) { out, count in
            OpenSSLErrorQueue.clear()
            try requireOpenSSL(
                EVP_Digest(buffer.baseAddress, buffer.count, out.baseAddress, &size, md, nil), "EVP_Digest")
            count = Int(size)
        }
        return Digest(bytes: bytes)
    }
}

/// Owns one `EVP_MD_CTX`. Sound as `@unchecked Sendable`: `SHA2` mutates it only while holding the
/// only reference (copy-on-write), so no two threads ever touch one context.
final class DigestContext: @unchecked Sendable {
    private let ctx: OpaquePointer

    init(_ algorithm: HashAlgorithm) throws(CryptoError) {
        OpenSSLErrorQueue.clear()
        guard let ctx = EVP_MD_CTX_new() else { throw CryptoError.openSSLFailure("EVP_MD_CTX_new") }
        self.ctx = ctx
        try requireOpenSSL(EVP_DigestInit_ex(ctx, try algorithm.evpMD(), nil), "EVP_DigestInit_ex")
    }

    private init(copyOf other: DigestContext) throws(CryptoError) {
        OpenSSLErrorQueue.clear()
        guard let ctx = EVP_MD_CTX_new() else { throw CryptoError.openSSLFailure("EVP_MD_CTX_new") }
        self.ctx = ctx
        try requireOpenSSL(EVP_MD_CTX_copy_ex(ctx, other.ctx), "EVP_MD_CTX_copy_ex")
    }

    deinit { EVP_MD_CTX_free(ctx) }

    func copy() throws(CryptoError) -> DigestContext { try DigestContext(copyOf: self) }

    func update(_ buffer: UnsafeRawBufferPointer) throws(CryptoError) {
        guard buffer.count > 0 else { return }
        OpenSSLErrorQueue.clear()
        try requireOpenSSL(EVP_DigestUpdate(ctx, buffer.baseAddress, buffer.count), "EVP_DigestUpdate")
    }

    func finalize(byteCount: Int) throws(CryptoError) -> Digest {
        var size: UInt32 = 0
        OpenSSLErrorQueue.clear()
        let bytes = try [UInt8](unsafeUninitializedCapacity: byteCount) { (out, count) throws(CryptoError) in
            try requireOpenSSL(EVP_DigestFinal_ex(ctx, out.baseAddress, &size), "EVP_DigestFinal_ex")
            count = Int(size)
        }
        return Digest(bytes: bytes)
    }
}
