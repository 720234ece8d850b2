public import Foundation
public import ZeroTrustCrypto

/// Envelope encryption in one call, for objects that fit in memory (up to a few MiB), and over
/// asynchronous sequences of chunks. Files: ``EnvelopeFile``; incremental: ``EnvelopeEncryptor``
/// and ``EnvelopeDecryptor``.
///
/// ```swift
/// let kms = try LocalKMS(directory: "/etc/pipeline/kms", masterKey: .keyFile("/run/secrets/kms.key"))
/// let context: EncryptionContext = ["data_id": "ds-42", "data_type": "training-set"]
/// let sealed = try await Envelope.seal(bytes, keyID: "datasets", context: context, kms: kms)
/// let opened = try await Envelope.open(sealed, kms: kms, expectedContext: context)
/// ```
public enum Envelope {
    /// Seals `plaintext` under a data key from `kms` (or from `cache`, when given) for `keyID`.
    ///
    /// Runs on the caller's executor: with a cache hit it never suspends, and it seals with the
    /// cache's prepared ``EnvelopeSealer`` for the data key.
    nonisolated(nonsending)
    public static func seal(_ plaintext: some ContiguousBytes, keyID: String, context: EncryptionContext = .empty,
                            kms: some KeyManagementService, cache: DataKeyCache? = nil,
                            algorithm: EnvelopeAlgorithm = .aes256GCM,
                            segmentSize: Int = EnvelopeHeader.defaultSegmentSize) async throws -> [UInt8] {
        guard let cache else {
            let dataKey = try await kms.generateDataKey(keyID: keyID, context: context)
            return try seal(plaintext, dataKey: dataKey, context: context, algorithm: algorithm, segmentSize: segmentSize)
        }
        let count = plaintext.withUnsafeBytes { $0.count }
        let sealer = try await cache.sealer(keyID: keyID, context: context, byteCount: count, kms: kms,
                                            algorithm: algorithm, segmentSize: segmentSize)
        return try sealer.seal(plaintext)
    }

    /// Seals `plaintext` with a data key already obtained from a KMS; `context` must be the one
    /// the key was wrapped under.
    public static func seal(_ plaintext: some ContiguousBytes, dataKey: DataKey, context: EncryptionContext = .empty,
                            algorithm: EnvelopeAlgorithm = .aes256GCM,
                            segmentSize: Int = EnvelopeHeader.defaultSegmentSize) throws -> [UInt8] {
        try EnvelopeSealer(dataKey: dataKey, context: context, algorithm: algorithm, segmentSize: segmentSize).seal(plaintext)
    }

    /// Opens an envelope: parses the header, checks the context against `expectedContext` when
    /// given, unwraps the data key with `kms` (through `cache` when given), checks the key
    /// commitment and every segment. Returns nothing unless the whole envelope authenticates.
    public static func open(_ envelope: [UInt8], kms: some KeyManagementService, expectedContext: EncryptionContext? = nil,
                            cache: DataKeyCache? = nil) async throws -> [UInt8] {
        let header = try EnvelopeHeader(parsing: envelope)
        try checkContext(header, expected: expectedContext)
        let dataKey = try await unwrap(header, kms: kms, cache: cache)
        return try open(envelope, header: header, dataKey: dataKey)
    }

    /// Opens an envelope with its data key already unwrapped.
    public static func open(_ envelope: [UInt8], dataKey: SymmetricKey) throws -> [UInt8] {
        try open(envelope, header: try EnvelopeHeader(parsing: envelope), dataKey: dataKey)
    }

    /// Encrypts an asynchronous sequence of plaintext chunks, passing the envelope's bytes to
    /// `sink` as they are produced (the header, then one sealed segment at a time).
    public static func encrypt<Chunks: AsyncSequence>(
        _ chunks: Chunks, keyID: String, context: EncryptionContext = .empty, kms: some KeyManagementService,
        algorithm: EnvelopeAlgorithm = .aes256GCM, segmentSize: Int = EnvelopeHeader.defaultSegmentSize,
        to sink: ([UInt8]) async throws -> Void
    ) async throws -> EnvelopeHeader where Chunks.Element == [UInt8] {
        let dataKey = try await kms.generateDataKey(keyID: keyID, context: context)
        let encryptor = try EnvelopeEncryptor(dataKey: dataKey, context: context, algorithm: algorithm, segmentSize: segmentSize)
        var pending: [UInt8] = []
        for try await chunk in chunks {
            try encryptor.update(chunk) { pending.append(contentsOf: $0) }
            if !pending.isEmpty {
                try await sink(pending)
                pending.removeAll(keepingCapacity: true)
            }
        }
        try encryptor.finish { pending.append(contentsOf: $0) }
        try await sink(pending)
        return encryptor.header
    }

    /// Decrypts an asynchronous sequence of envelope chunks, passing each segment's plaintext to
    /// `sink` only after it authenticated. Plaintext passed before a thrown error is authentic
    /// but the stream is incomplete: discard it unless this function returns.
    public static func decrypt<Chunks: AsyncSequence>(
        _ chunks: Chunks, kms: some KeyManagementService, expectedContext: EncryptionContext? = nil,
        to sink: ([UInt8]) async throws -> Void
    ) async throws -> EnvelopeHeader where Chunks.Element == [UInt8] {
        var headerBytes: [UInt8] = []
        var headerLength: Int?
        var decryptor: EnvelopeDecryptor?
        var pending: [UInt8] = []
        for try await chunk in chunks {
            var body = chunk[...]
            if decryptor == nil {
                headerBytes += body
                body = []
                if headerLength == nil, headerBytes.count >= EnvelopeHeader.fixedPrefixByteCount {
                    headerLength = try EnvelopeHeader.declaredByteCount(prefix: Array(headerBytes.prefix(EnvelopeHeader.fixedPrefixByteCount)))
                }
                guard let length = headerLength, headerBytes.count >= length else { continue }
                let header = try EnvelopeHeader(parsing: Array(headerBytes[..<length]))
                try checkContext(header, expected: expectedContext)
                decryptor = try EnvelopeDecryptor(header: header, dataKey: try await kms.unwrap(header.wrappedKey, context: header.context))
                body = headerBytes[length...]
            }
            try decryptor?.update(Array(body)) { pending.append(contentsOf: $0) }
            if !pending.isEmpty {
                try await sink(pending)
                pending.removeAll(keepingCapacity: true)
            }
        }
        guard let decryptor else {
            throw EnvelopeError(code: .truncated, message: "input ended after \(headerBytes.count) bytes, inside the envelope header")
        }
        try decryptor.finish { pending.append(contentsOf: $0) }
        try await sink(pending)
        return decryptor.header
    }

    static func checkContext(_ header: EnvelopeHeader, expected: EncryptionContext?) throws(EnvelopeError) {
        guard let expected, expected != header.context else { return }
        throw EnvelopeError(code: .contextMismatch,
                            message: "envelope is bound to encryption context \(header.context), not the required \(expected)")
    }

    static func unwrap(_ header: EnvelopeHeader, kms: some KeyManagementService, cache: DataKeyCache?) async throws -> SymmetricKey {
        if let cache { return try await cache.unwrap(header.wrappedKey, context: header.context, kms: kms) }
        return try await kms.unwrap(header.wrappedKey, context: header.context)
    }

    private static func open(_ envelope: [UInt8], header: EnvelopeHeader, dataKey: SymmetricKey) throws -> [UInt8] {
        let decryptor = try EnvelopeDecryptor(header: header, dataKey: dataKey)
        let bodyStart = header.byteCount
        guard bodyStart <= envelope.count else {
            throw EnvelopeError(code: .truncated, message: "envelope of \(envelope.count) bytes is shorter than its \(bodyStart)-byte header")
        }
        let layout = try EnvelopeDecryptor.layout(bodyByteCount: UInt64(envelope.count - bodyStart), segmentSize: header.segmentSize)
        let sealedSize = header.segmentSize + SegmentCipher.tagByteCount
        return try envelope.withUnsafeBytes { raw in
            try [UInt8](unsafeUninitializedCapacity: Int(layout.plaintextByteCount)) { output, initialized in
                initialized = 0
                let outputRaw = UnsafeMutableRawBufferPointer(output)
                var written = 0
                for index in 0..<layout.segmentCount {
                    let start = bodyStart + Int(index) * sealedSize
                    let end = min(start + sealedSize, envelope.count)
                    let plaintextCount = end - start - SegmentCipher.tagByteCount
                    do {
                        try decryptor.open(UnsafeRawBufferPointer(rebasing: raw[start..<end]), index: UInt32(index),
                                           last: index == layout.segmentCount - 1,
                                           into: UnsafeMutableRawBufferPointer(rebasing: outputRaw[written..<(written + plaintextCount)]))
                    } catch {
                        // Nothing leaves on failure: wipe what earlier segments wrote.
                        zeroize(UnsafeMutableRawBufferPointer(rebasing: outputRaw[..<written]))
                        throw error
                    }
                    written += plaintextCount
                }
                initialized = written
            }
        }
    }
}
