public import Foundation

/// A nonce, ciphertext and tag produced by sealing a message with an ``AEADAlgorithm``.
///
/// The combined form, `nonce ‖ ciphertext ‖ tag`, is what most callers store or send.
public struct AEADSealedBox: Sendable, Hashable {
    /// The algorithm that sealed the box.
    public let algorithm: AEADAlgorithm
    /// The nonce.
    public let nonce: [UInt8]
    /// The ciphertext, as long as the plaintext.
    public let ciphertext: [UInt8]
    /// The 16-byte authentication tag.
    public let tag: [UInt8]

    /// Assembles a box, checking the nonce and tag lengths.
    public init(algorithm: AEADAlgorithm, nonce: some ContiguousBytes, ciphertext: some ContiguousBytes,
                tag: some ContiguousBytes) throws {
        let nonce = nonce.withUnsafeBytes { Array($0) }
        let tag = tag.withUnsafeBytes { Array($0) }
        try AEADValidation.nonce(count: nonce.count, for: algorithm)
        try AEADValidation.tag(count: tag.count, for: algorithm)
        self.algorithm = algorithm
        self.nonce = nonce
        self.ciphertext = ciphertext.withUnsafeBytes { Array($0) }
        self.tag = tag
    }

    /// Splits a combined `nonce ‖ ciphertext ‖ tag` representation.
    public init(combined: some ContiguousBytes, algorithm: AEADAlgorithm) throws {
        let bytes = combined.withUnsafeBytes { Array($0) }
        let minimum = algorithm.nonceByteCount + algorithm.tagByteCount
        guard bytes.count >= minimum else {
            throw CryptoError(code: .invalidParameter,
                              message: "a combined \(algorithm.rawValue) box needs at least \(minimum) bytes, got \(bytes.count)")
        }
        self.algorithm = algorithm
        self.nonce = Array(bytes[..<algorithm.nonceByteCount])
        self.ciphertext = Array(bytes[algorithm.nonceByteCount..<(bytes.count - algorithm.tagByteCount)])
        self.tag = Array(bytes[(bytes.count - algorithm.tagByteCount)...])
    }

    /// `nonce ‖ ciphertext ‖ tag`.
    public var combined: [UInt8] { nonce + ciphertext + tag }
}

/// Size checks shared by the one-shot and the reusable AEAD APIs.
enum AEADValidation {
    static func key(_ key: SymmetricKey, for algorithm: AEADAlgorithm) throws(CryptoError) {
        guard key.byteCount == algorithm.keyByteCount else {
            throw CryptoError(code: .invalidKeySize,
                              message: "\(algorithm.rawValue) needs a \(algorithm.keyByteCount)-byte key, got \(key.byteCount) bytes")
        }
    }

    static func nonce(count: Int, for algorithm: AEADAlgorithm) throws(CryptoError) {
        guard count == algorithm.nonceByteCount else {
            throw CryptoError(code: .invalidNonceSize,
                              message: "\(algorithm.rawValue) needs a \(algorithm.nonceByteCount)-byte nonce, got \(count) bytes")
        }
    }

    static func tag(count: Int, for algorithm: AEADAlgorithm) throws(CryptoError) {
        guard count == algorithm.tagByteCount else {
            throw CryptoError(code: .invalidTagSize,
                              message: "\(algorithm.rawValue) needs a \(algorithm.tagByteCount)-byte tag, got \(count) bytes")
        }
    }

    static func message(count: Int, for algorithm: AEADAlgorithm) throws(CryptoError) {
        guard UInt64(count) <= algorithm.maximumPlaintextByteCount else {
            throw CryptoError(code: .messageTooLong,
                              message: "\(algorithm.rawValue) seals at most \(algorithm.maximumPlaintextByteCount) bytes under one nonce, got \(count)")
        }
    }

    /// Output must be as long as the input and either the same memory (in place) or disjoint.
    static func buffers(input: UnsafeRawBufferPointer, output: UnsafeMutableRawBufferPointer) throws(CryptoError) {
        guard output.count == input.count else {
            throw CryptoError(code: .invalidBuffer, message: "output holds \(output.count) bytes, input has \(input.count)")
        }
        guard input.count > 0, let i = input.baseAddress, let o = output.baseAddress else { return }
        let inStart = UInt(bitPattern: i), outStart = UInt(bitPattern: o), count = UInt(input.count)
        let disjoint = outStart + count <= inStart || inStart + count <= outStart
        guard disjoint || inStart == outStart else {
            throw CryptoError(code: .invalidBuffer, message: "input and output overlap without being the same buffer")
        }
    }
}
