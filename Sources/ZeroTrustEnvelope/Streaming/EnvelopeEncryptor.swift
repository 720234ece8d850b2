public import Foundation
import ZeroTrustCrypto

/// Encrypts a stream into an envelope in constant memory: one segment buffer and a keyed cipher.
///
/// Feed plaintext in chunks of any size with `update(_:output:)`, then call
/// ``finish(output:)``; `output` receives the header first, then each sealed segment, as soon as
/// it is sealed. The buffers passed to `output` are only valid during the call.
///
/// ```swift
/// let dataKey = try await kms.generateDataKey(keyID: "models", context: context)
/// let encryptor = try EnvelopeEncryptor(dataKey: dataKey, context: context)
/// for chunk in chunks { try encryptor.update(chunk) { try file.write(contentsOf: $0) } }
/// try encryptor.finish { try file.write(contentsOf: $0) }
/// ```
///
/// Not `Sendable`: one encryptor per stream.
public final class EnvelopeEncryptor {
    /// The header this encryptor writes first.
    public let header: EnvelopeHeader
    /// Plaintext bytes accepted so far.
    public private(set) var plaintextByteCount: UInt64 = 0

    private let cipher: SegmentCipher
    private let segmentSize: Int
    private let headerBytes: [UInt8]
    private var buffer: SegmentBuffer?
    private let bufferCapacityHint: Int
    private var nextIndex: UInt32 = 0
    private var headerWritten = false
    private var finished = false

    /// Starts an envelope for `dataKey` (from ``KeyManagementService/generateDataKey(keyID:context:)``),
    /// bound to `context` (which must be the context the data key was wrapped under).
    public convenience init(dataKey: DataKey, context: EncryptionContext, algorithm: EnvelopeAlgorithm = .aes256GCM,
                            segmentSize: Int = EnvelopeHeader.defaultSegmentSize) throws {
        try self.init(dataKey: dataKey, context: context, algorithm: algorithm, segmentSize: segmentSize, expectedByteCount: nil)
    }

    /// `expectedByteCount`, when known, keeps the buffer small for small objects.
    /// `salt` and `noncePrefix` are random unless given (fixed only by known-answer tests).
    init(dataKey: DataKey, context: EncryptionContext, algorithm: EnvelopeAlgorithm, segmentSize: Int,
         expectedByteCount: Int?, salt: [UInt8]? = nil, noncePrefix: [UInt8]? = nil) throws {
        try EnvelopeHeader.validate(segmentSize: segmentSize)
        let random = salt == nil || noncePrefix == nil
            ? SecureRandom.bytes(count: EnvelopeHeader.saltByteCount + algorithm.noncePrefixByteCount) : []
        let salt = salt ?? Array(random[..<EnvelopeHeader.saltByteCount])
        let prefix = noncePrefix ?? Array(random[EnvelopeHeader.saltByteCount...])
        guard salt.count == EnvelopeHeader.saltByteCount, prefix.count == algorithm.noncePrefixByteCount else {
            throw EnvelopeError(code: .invalidParameter, message: "salt or nonce prefix has the wrong length")
        }
        let unsigned = try EnvelopeHeader(algorithm: algorithm, segmentSize: segmentSize, salt: salt, noncePrefix: prefix,
                                          context: context, wrappedKey: dataKey.wrapped,
                                          keyCommitment: [UInt8](repeating: 0, count: EnvelopeHeader.commitmentByteCount))
        let keys = try EnvelopeKeys(dataKey: dataKey.key, salt: salt, authenticatedDigest: try unsigned.authenticatedDigest)
        header = try unsigned.replacingCommitment(keys.commitment)
        headerBytes = header.bytes
        cipher = try SegmentCipher(algorithm: algorithm, payloadKey: keys.payloadKey, noncePrefix: prefix)
        self.segmentSize = segmentSize
        bufferCapacityHint = min(segmentSize, expectedByteCount ?? segmentSize) + SegmentCipher.tagByteCount
    }

    /// Bytes of buffer memory this encryptor holds (at most one sealed segment, whatever the
    /// stream length): what the memory-bound tests check.
    package var bufferedByteCapacity: Int { buffer?.capacity ?? 0 }

    /// Encrypts `plaintext`, passing the header (on the first call) and every segment that is
    /// complete to `output`.
    public func update(_ plaintext: UnsafeRawBufferPointer, output: (UnsafeRawBufferPointer) throws -> Void) throws {
        try requireOpen()
        try writeHeader(output)
        var input = plaintext
        var buffer = self.buffer ?? makeBuffer()
        if buffer.capacity < min(segmentSize, buffer.count + input.count) + SegmentCipher.tagByteCount {
            // The stream turned out larger than the hint: move to a full-segment buffer.
            let larger = SegmentBuffer(capacity: segmentSize + SegmentCipher.tagByteCount)
            _ = larger.fill(from: buffer.contents, upTo: segmentSize)
            self.buffer = larger
            buffer = larger
        }
        while !input.isEmpty {
            if buffer.count == segmentSize {
                // A full segment with more plaintext after it: not the last one.
                try sealSegment(buffer.contents, last: false, into: buffer.memory, output: output)
                buffer.count = 0
            }
            if buffer.count == 0, input.count > segmentSize, buffer.capacity >= segmentSize + SegmentCipher.tagByteCount {
                // Whole segments straight from the caller's memory: no copy.
                try sealSegment(UnsafeRawBufferPointer(rebasing: input[..<segmentSize]), last: false, into: buffer.memory, output: output)
                input = UnsafeRawBufferPointer(rebasing: input[segmentSize...])
                continue
            }
            let taken = buffer.fill(from: input, upTo: segmentSize)
            input = UnsafeRawBufferPointer(rebasing: input[taken...])
        }
        plaintextByteCount += UInt64(plaintext.count)
    }

    /// Encrypts the bytes of `plaintext`.
    public func update(_ plaintext: some ContiguousBytes, output: (UnsafeRawBufferPointer) throws -> Void) throws {
        try plaintext.withUnsafeBytes { try update($0, output: output) }
    }

    /// Seals what is buffered as the last segment (an empty one when there is nothing) and
    /// passes it to `output`. The encryptor cannot be used afterwards.
    public func finish(output: (UnsafeRawBufferPointer) throws -> Void) throws {
        try requireOpen()
        try writeHeader(output)
        let buffer = self.buffer ?? makeBuffer()
        finished = true
        try sealSegment(buffer.contents, last: true, into: buffer.memory, output: output)
        buffer.count = 0
    }

    private func requireOpen() throws(EnvelopeError) {
        guard !finished else { throw EnvelopeError(code: .invalidParameter, message: "the envelope was already finished") }
    }

    private func writeHeader(_ output: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard !headerWritten else { return }
        headerWritten = true
        try headerBytes.withUnsafeBytes { try output($0) }
    }

    private func makeBuffer() -> SegmentBuffer {
        let buffer = SegmentBuffer(capacity: bufferCapacityHint)
        self.buffer = buffer
        return buffer
    }

    private func sealSegment(_ plaintext: UnsafeRawBufferPointer, last: Bool, into memory: UnsafeMutableRawBufferPointer,
                             output: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard last || nextIndex < UInt32.max else {
            throw EnvelopeError(code: .invalidParameter, message: "an envelope holds at most 2^32 segments; use a larger segment size")
        }
        let sealedCount = plaintext.count + SegmentCipher.tagByteCount
        let destination = UnsafeMutableRawBufferPointer(rebasing: memory[..<sealedCount])
        try cipher.seal(plaintext, into: destination, index: nextIndex, last: last)
        nextIndex &+= 1
        try output(UnsafeRawBufferPointer(destination))
    }
}
