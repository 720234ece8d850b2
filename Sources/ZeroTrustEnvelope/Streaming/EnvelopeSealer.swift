public import Foundation
import ZeroTrustCrypto

/// Seals many small objects under one data key without re-deriving per-key state: the data key's
/// HMAC context and the canonical context are prepared once, and every envelope still gets its own
/// salt, nonce prefix, payload key and commitment. Pair it with a data key from
/// ``DataKeyCache`` (or one ``KeyManagementService/generateDataKey(keyID:context:)`` per batch).
///
/// ```swift
/// let sealer = try EnvelopeSealer(dataKey: dataKey, context: ["stream": "events"])
/// for record in records { try store(sealer.seal(record)) }
/// ```
///
/// `Sendable`: one sealer can serve many tasks at once (its HMAC contexts are pooled), which is how
/// ``DataKeyCache`` hands out one prepared sealer per cached data key.
public final class EnvelopeSealer: Sendable {
    /// The data key every envelope is sealed under.
    public let dataKey: DataKey
    /// The context every envelope is bound to (the one the data key was wrapped under).
    public let context: EncryptionContext
    /// The segment cipher.
    public let algorithm: EnvelopeAlgorithm
    /// The segment size.
    public let segmentSize: Int
    private let derivation: EnvelopeKeyDerivation
    /// The header with zeros where the salt, nonce prefix and commitment go.
    private let template: [UInt8]
    /// Where the authenticated fields after the header length end (the end of the context).
    private let authenticatedEnd: Int

    /// A sealer for `dataKey` and `context`.
    public init(dataKey: DataKey, context: EncryptionContext = .empty, algorithm: EnvelopeAlgorithm = .aes256GCM,
                segmentSize: Int = EnvelopeHeader.defaultSegmentSize) throws {
        try EnvelopeHeader.validate(segmentSize: segmentSize)
        self.dataKey = dataKey
        self.context = context
        self.algorithm = algorithm
        self.segmentSize = segmentSize
        derivation = try EnvelopeKeyDerivation(dataKey: dataKey.key)
        let contextBytes = try context.canonicalBytes
        template = try EnvelopeHeader(algorithm: algorithm, segmentSize: segmentSize,
                                      salt: [UInt8](repeating: 0, count: EnvelopeHeader.saltByteCount),
                                      noncePrefix: [UInt8](repeating: 0, count: algorithm.noncePrefixByteCount), context: context,
                                      wrappedKey: dataKey.wrapped, keyCommitment: [UInt8](repeating: 0, count: EnvelopeHeader.commitmentByteCount),
                                      contextBytes: contextBytes).bytes
        authenticatedEnd = EnvelopeHeader.fixedPrefixByteCount + EnvelopeHeader.saltByteCount + algorithm.noncePrefixByteCount
            + 2 + contextBytes.count
    }

    /// A complete envelope of `plaintext`, written straight into the returned array: the header
    /// template is copied, the salt and nonce prefix drawn in place, and each segment sealed from
    /// `plaintext` into its final position.
    public func seal(_ plaintext: some ContiguousBytes) throws -> [UInt8] {
        try plaintext.withUnsafeBytes { input in
            let headerCount = template.count
            let segments = max(1, (input.count + segmentSize - 1) / segmentSize)
            let total = headerCount + input.count + segments * SegmentCipher.tagByteCount
            return try [UInt8](unsafeUninitializedCapacity: total) { buffer, initialized in
                initialized = 0
                let output = UnsafeMutableRawBufferPointer(buffer)
                template.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: output[..<headerCount]).copyMemory(from: $0) }
                let fixed = EnvelopeHeader.fixedPrefixByteCount
                let saltEnd = fixed + EnvelopeHeader.saltByteCount
                let prefixEnd = saltEnd + algorithm.noncePrefixByteCount
                SecureRandom.fill(UnsafeMutableRawBufferPointer(rebasing: output[fixed..<prefixEnd]))
                // A = SHA-256(bytes 0..<10 ‖ salt … end of context), hashed from one contiguous copy.
                let digest = try withUnsafeTemporaryAllocation(byteCount: 10 + authenticatedEnd - fixed, alignment: 8) { scratch in
                    UnsafeMutableRawBufferPointer(rebasing: scratch[..<10]).copyMemory(from: UnsafeRawBufferPointer(rebasing: output[..<10]))
                    UnsafeMutableRawBufferPointer(rebasing: scratch[10...]).copyMemory(from: UnsafeRawBufferPointer(rebasing: output[fixed..<authenticatedEnd]))
                    return try SHA2.hash(UnsafeRawBufferPointer(scratch), using: .sha256)
                }
                let payloadKey = try digest.withUnsafeBytes { a in
                    try derivation.derive(salt: UnsafeRawBufferPointer(rebasing: output[fixed..<saltEnd]), authenticatedDigest: a,
                                          commitment: UnsafeMutableRawBufferPointer(rebasing: output[(headerCount - EnvelopeHeader.commitmentByteCount)..<headerCount]))
                }
                let cipher = try SegmentCipher(algorithm: algorithm, payloadKey: payloadKey,
                                               noncePrefix: UnsafeRawBufferPointer(rebasing: output[saltEnd..<prefixEnd]))
                var offset = headerCount
                for index in 0..<segments {
                    let start = index * segmentSize
                    let end = min(start + segmentSize, input.count)
                    let sealedCount = end - start + SegmentCipher.tagByteCount
                    try cipher.seal(UnsafeRawBufferPointer(rebasing: input[start..<end]),
                                    into: UnsafeMutableRawBufferPointer(rebasing: output[offset..<(offset + sealedCount)]),
                                    index: UInt32(index), last: index == segments - 1)
                    offset += sealedCount
                }
                initialized = total
            }
        }
    }
}
