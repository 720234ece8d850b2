public import Foundation

/// A reusable HMAC keyed once, for computing many tags without allocating per call: the hot path
/// of token verification and audit-log chaining.
///
/// Not `Sendable`: keep one per task or thread. (``HMAC``'s static functions are the thread-safe,
/// allocating alternative.)
///
/// ```swift
/// let context = try HMACContext(key: key, algorithm: .sha256)
/// var tag = [UInt8](repeating: 0, count: 32)
/// for message in messages {
///     try message.withUnsafeBytes { m in try tag.withUnsafeMutableBytes { t in
///         _ = try context.authenticate(m, into: t) } }
/// }
/// ```
public final class HMACContext {
    /// The hash function.
    public let algorithm: HashAlgorithm
    private let context: MACContext

    /// Keys a context.
    public init(key: SymmetricKey, algorithm: HashAlgorithm) throws {
        self.algorithm = algorithm
        self.context = try MACContext(key: key, algorithm: algorithm)
    }

    /// The byte length of a tag: the digest length of ``algorithm``.
    public var tagByteCount: Int { algorithm.digestByteCount }

    /// Writes the HMAC of `message` into the first ``tagByteCount`` bytes of `tag` and returns
    /// that count. `tag` must hold at least ``tagByteCount`` bytes.
    @discardableResult
    public func authenticate(_ message: UnsafeRawBufferPointer, into tag: UnsafeMutableRawBufferPointer) throws -> Int {
        guard tag.count >= tagByteCount else {
            throw CryptoError(code: .invalidBuffer, message: "HMAC tag buffer holds \(tag.count) bytes, needs \(tagByteCount)")
        }
        // No pre-emptive clear of the error queue here: a success is decided by return codes, and a
        // failure drains the queue into its error. On 64-byte messages the clear is ~7% of the cost.
        try context.reset()
        try context.update(message)
        return try context.finalize(into: tag)
    }

    /// The HMAC of `message`, as a new value.
    public func authenticationCode(for message: some ContiguousBytes) throws -> MessageAuthenticationCode {
        OpenSSLErrorQueue.clear()
        try context.reset()
        try message.withUnsafeBytes { buffer in try context.update(buffer) }
        return try context.finalize(byteCount: tagByteCount)
    }

    /// Whether `code` is the full-length HMAC of `message`, compared in constant time.
    public func isValidAuthenticationCode(_ code: UnsafeRawBufferPointer, authenticating message: UnsafeRawBufferPointer) throws -> Bool {
        guard code.count == tagByteCount else { return false }
        return try matchesComputedTag(code) { scratch in try authenticate(message, into: scratch) }
    }
}

@available(*, unavailable, message: "HMACContext owns a mutable OpenSSL context; use one per task")
extension HMACContext: Sendable {}
