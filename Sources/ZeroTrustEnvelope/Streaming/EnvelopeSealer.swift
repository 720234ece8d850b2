public import Foundation

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
/// Not `Sendable`: one sealer per task.
public final class EnvelopeSealer {
    /// The data key every envelope is sealed under.
    public let dataKey: DataKey
    /// The context every envelope is bound to (the one the data key was wrapped under).
    public let context: EncryptionContext
    /// The segment cipher.
    public let algorithm: EnvelopeAlgorithm
    /// The segment size.
    public let segmentSize: Int
    private let derivation: EnvelopeKeyDerivation
    private let contextBytes: [UInt8]

    /// A sealer for `dataKey` and `context`.
    public init(dataKey: DataKey, context: EncryptionContext = .empty, algorithm: EnvelopeAlgorithm = .aes256GCM,
                segmentSize: Int = EnvelopeHeader.defaultSegmentSize) throws {
        try EnvelopeHeader.validate(segmentSize: segmentSize)
        self.dataKey = dataKey
        self.context = context
        self.algorithm = algorithm
        self.segmentSize = segmentSize
        derivation = try EnvelopeKeyDerivation(dataKey: dataKey.key)
        contextBytes = try context.canonicalBytes
    }

    /// A complete envelope of `plaintext`.
    public func seal(_ plaintext: some ContiguousBytes) throws -> [UInt8] {
        try plaintext.withUnsafeBytes { input in
            let encryptor = try EnvelopeEncryptor(dataKey: dataKey, context: context, algorithm: algorithm, segmentSize: segmentSize,
                                                  expectedByteCount: input.count, derivation: derivation, contextBytes: contextBytes)
            let segments = max(1, (input.count + segmentSize - 1) / segmentSize)
            var output: [UInt8] = []
            output.reserveCapacity(encryptor.header.byteCount + input.count + segments * SegmentCipher.tagByteCount)
            try encryptor.update(input) { output.append(contentsOf: $0) }
            try encryptor.finish { output.append(contentsOf: $0) }
            return output
        }
    }
}
