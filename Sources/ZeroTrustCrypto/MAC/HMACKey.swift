public import Foundation
internal import CZeroTrustOpenSSL
import Synchronization

/// An HMAC key prepared once and shareable between tasks: the padded key is derived and the digest
/// fetched once, and keyed contexts are recycled through a small pool, so a computation neither
/// allocates nor re-keys in the steady state. The right type for a key that verifies many tokens
/// concurrently.
///
/// ```swift
/// let key = try HMACKey(SymmetricKey(size: .bits256), algorithm: .sha256)
/// let tag = try key.authenticationCode(for: message)
/// ```
public final class HMACKey: Sendable {
    private let template: MACContext
    // Idle keyed contexts. A context is used by one caller at a time: taken out under the lock,
    // used without it, put back after. Bounded so that a burst does not pin memory forever.
    private let pool = Mutex<[MACContext]>([])
    private static let poolLimit = 32
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
        return try withContext { context in
            try context.update(message)
            return try context.finalize(into: tag)
        }
    }

    /// The HMAC of `message`.
    public func authenticationCode(for message: some ContiguousBytes) throws -> MessageAuthenticationCode {
        try withContext { context in
            try message.withUnsafeBytes { try context.update($0) }
            return try context.finalize(byteCount: tagByteCount)
        }
    }

    /// Whether `code` is the full-length HMAC of `message`, compared in constant time.
    public func isValidAuthenticationCode(_ code: UnsafeRawBufferPointer, authenticating message: UnsafeRawBufferPointer) throws -> Bool {
        guard code.count == tagByteCount else { return false }
        return try matchesComputedTag(code) { scratch in try authenticate(message, into: scratch) }
    }

    /// Runs `body` with a context keyed and reset for a new message.
    private func withContext<R>(_ body: (MACContext) throws -> R) throws -> R {
        // As in HMACContext: no pre-emptive clear; failures drain the queue into their error.
        let context: MACContext
        if let pooled = pool.withLock({ $0.popLast() }) {
            try pooled.reset()
            context = pooled
        } else {
            context = try template.copy()
        }
        let result = try body(context)
        pool.withLock { idle in
            if idle.count < Self.poolLimit { idle.append(context) }
        }
        return result
    }
}
