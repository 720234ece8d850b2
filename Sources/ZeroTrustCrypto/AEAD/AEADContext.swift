/// A reusable AEAD cipher keyed once, for sealing and opening many messages in caller-owned
/// buffers without allocating: the building block of streaming encryption.
///
/// Output may be the input buffer itself (in place) or a disjoint buffer of the same length.
/// When opening fails, the output buffer is zeroed, so unauthenticated plaintext never escapes.
///
/// Not `Sendable`: keep one per task or thread.
///
/// ```swift
/// let context = try AEADContext(algorithm: .aes256GCM, key: key)
/// try segment.withUnsafeMutableBytes { buffer in
///     try context.seal(UnsafeRawBufferPointer(buffer), nonce: nonce, authenticating: header,
///                      into: buffer, tag: tag)
/// }
/// ```
public final class AEADContext {
    /// The algorithm.
    public let algorithm: AEADAlgorithm
    /// How many messages this context has sealed under nonces it chose at random.
    public private(set) var randomNonceCount: UInt64 = 0
    private let engine: AEADEngine

    /// Keys a context; the key must be 32 bytes.
    public init(algorithm: AEADAlgorithm, key: SymmetricKey) throws {
        self.algorithm = algorithm
        self.engine = try AEADEngine(algorithm: algorithm, key: key)
    }

    /// Seals `plaintext` into `ciphertext` (same length; may be the same memory) under `nonce`,
    /// writing the tag into `tag` (exactly ``AEADAlgorithm/tagByteCount`` bytes).
    public func seal(_ plaintext: UnsafeRawBufferPointer, nonce: UnsafeRawBufferPointer,
                     authenticating associatedData: UnsafeRawBufferPointer,
                     into ciphertext: UnsafeMutableRawBufferPointer, tag: UnsafeMutableRawBufferPointer) throws {
        try engine.seal(plaintext, nonce: nonce, associatedData: associatedData, output: ciphertext, tag: tag)
    }

    /// Seals under a random nonce, written to `nonce`. Throws
    /// ``CryptoError/Code/nonceLimitReached`` once ``AEADAlgorithm/randomNonceLimit`` messages have
    /// been sealed this way: then use a new key.
    public func sealWithRandomNonce(_ plaintext: UnsafeRawBufferPointer,
                                    authenticating associatedData: UnsafeRawBufferPointer,
                                    into ciphertext: UnsafeMutableRawBufferPointer,
                                    nonce: UnsafeMutableRawBufferPointer, tag: UnsafeMutableRawBufferPointer) throws {
        guard randomNonceCount < algorithm.randomNonceLimit else {
            throw CryptoError(code: .nonceLimitReached,
                              message: "this key has sealed \(randomNonceCount) messages under random nonces, the limit for \(algorithm.rawValue)")
        }
        try AEADValidation.nonce(count: nonce.count, for: algorithm)
        SecureRandom.fill(nonce)
        randomNonceCount += 1
        try engine.seal(plaintext, nonce: UnsafeRawBufferPointer(nonce), associatedData: associatedData,
                        output: ciphertext, tag: tag)
    }

    /// Opens `ciphertext` into `plaintext` (same length; may be the same memory). On failure the
    /// output is zeroed and ``CryptoError/Code/authenticationFailure`` is thrown.
    public func open(_ ciphertext: UnsafeRawBufferPointer, tag: UnsafeRawBufferPointer, nonce: UnsafeRawBufferPointer,
                     authenticating associatedData: UnsafeRawBufferPointer,
                     into plaintext: UnsafeMutableRawBufferPointer) throws {
        try engine.open(ciphertext, tag: tag, nonce: nonce, associatedData: associatedData, output: plaintext)
    }
}

@available(*, unavailable, message: "AEADContext owns mutable cipher state; use one per task")
extension AEADContext: Sendable {}
