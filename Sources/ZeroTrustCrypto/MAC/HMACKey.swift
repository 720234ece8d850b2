public import Foundation
internal import CZeroTrustOpenSSL

/// An HMAC key prepared once and shareable between tasks: each computation duplicates a keyed
/// template context instead of re-deriving the padded key and fetching the digest. The right
/// type for a key that verifies many tokens concurrently.
///
/// ```swift
/// let key = try HMACKey(SymmetricKey(size: .bits256), algorithm: .sha256)
/// let tag = try key.authenticationCode(for: message)
/// let ok = try key.isValidAuthenticationCode(tag.bytes, authenticating: message)
/// ```
public final class HMACKey: @unchecked Sendable {
    // Sound as @unchecked Sendable: `template` is keyed in init and never modified afterwards;
    // every computation works on its own duplicate (EVP_MAC_CTX_dup only reads the source).
    private let template: MACContext
    /// The hash function.
    public let algorithm: HashAlgorithm

    /// Prepares `key` for HMAC with `algorithm`.
    public init(_ key: SymmetricKey, algorithm: HashAlgorithm) throws {
        self.template = try MACContext(key: key, algorithm: algorithm)
        self.algorithm = algorithm
    }

    /// The byte length of a tag.
    public var tagByteCount: Int { algorithm.digestByteCount }

    /// Writes the HMAC of `message` into `tag` (at least ``tagByteCount`` bytes); returns the length.
    @discardableResult
    public func authenticate(_ message: UnsafeRawBufferPointer, into tag: UnsafeMutableRawBufferPointer) throws -> Int {
        guard tag.count >= tagByteCount else {
            throw CryptoError(code: .invalidBuffer, message: "HMAC tag buffer holds \(tag.count) bytes, needs \(tagByteCount)")
        }
        OpenSSLErrorQueue.clear()
        let context = try template.copy()
        try context.update(message)
        return try context.finalize(into: tag)
    }

    /// The HMAC of `message`.
    public func authenticationCode(for message: some ContiguousBytes) throws -> MessageAuthenticationCode {
        OpenSSLErrorQueue.clear()
        let context = try template.copy()
        try message.withUnsafeBytes { try context.update($0) }
        return try context.finalize(byteCount: tagByteCount)
    }

    /// Whether `code` is the full-length HMAC of `message`, compared in constant time.
    public func isValidAuthenticationCode(_ code: UnsafeRawBufferPointer, authenticating message: UnsafeRawBufferPointer) throws -> Bool {
        guard code.count == tagByteCount else { return false }
        return try withUnsafeTemporaryAllocation(byteCount: 64, alignment: 8) { scratch in
            defer { scratch.initializeMemory(as: UInt8.self, repeating: 0) }
            let count = try authenticate(message, into: scratch)
            return constantTimeEquals(UnsafeRawBufferPointer(rebasing: scratch[..<count]), code)
        }
    }
}
