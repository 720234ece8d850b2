import Testing
import ZeroTrustCrypto
@testable import ZeroTrustEnvelope

/// Constant memory, checked deterministically: 256 MiB generated on the fly (never stored, in
/// memory or on disk) stream through an encryptor whose output feeds a decryptor in lock step,
/// and the buffers each of them holds are measured after every call. Wall-clock time plays no
/// part; the round trip is checked with running SHA-256 digests of what went in and came out.
@Suite("Streaming memory stays bounded")
struct StreamingMemoryTests {
    static let streamByteCount = 256 << 20

    @Test("256 MiB through encryptor and decryptor: each holds one sealed segment of buffer, whatever the length",
          arguments: [(EnvelopeHeader.defaultSegmentSize, 1 << 20), (EnvelopeHeader.defaultSegmentSize, 100_003), (1 << 20, 1 << 20 | 7)])
    func boundedBuffers(segmentSize: Int, chunkSize: Int) async throws {
        let kms = await makeKMS()
        let dataKey = try await kms.generateDataKey(keyID: "k", context: .empty)
        let encryptor = try EnvelopeEncryptor(dataKey: dataKey, context: .empty, segmentSize: segmentSize)
        let sealedSegment = segmentSize + SegmentCipher.tagByteCount
        // The encryptor passes the header in one call, then one call per sealed segment; the
        // decryptor is created from the header and fed each segment as it comes.
        var decryptor: EnvelopeDecryptor?
        var inputDigest = try SHA2(.sha256)
        var outputDigest = try SHA2(.sha256)
        var outputByteCount = 0
        var peakEncryptorBytes = 0
        var peakDecryptorBytes = 0

        func forward(_ bytes: UnsafeRawBufferPointer) throws {
            guard let decryptor else {
                let header = try EnvelopeHeader(parsing: [UInt8](bytes))
                decryptor = try EnvelopeDecryptor(header: header, dataKey: dataKey.key)
                return
            }
            try decryptor.update(bytes) { plaintext in
                try outputDigest.update(plaintext)
                outputByteCount += plaintext.count
            }
            peakDecryptorBytes = max(peakDecryptorBytes, decryptor.bufferedByteCapacity)
        }

        var chunk = testBytes(chunkSize)
        var produced = 0
        var index: UInt64 = 0
        while produced < Self.streamByteCount {
            let count = min(chunkSize, Self.streamByteCount - produced)
            // Every chunk differs (its index in its first bytes), so a dropped, repeated or
            // reordered chunk changes the digest.
            withUnsafeBytes(of: index.littleEndian) { indexBytes in
                chunk.withUnsafeMutableBytes { $0.copyMemory(from: indexBytes) }
            }
            try chunk.withUnsafeBytes { all in
                let slice = UnsafeRawBufferPointer(rebasing: all[..<count])
                try inputDigest.update(slice)
                try encryptor.update(slice) { try forward($0) }
            }
            peakEncryptorBytes = max(peakEncryptorBytes, encryptor.bufferedByteCapacity)
            produced += count
            index += 1
        }
        try encryptor.finish { try forward($0) }
        let finalDecryptor = try #require(decryptor)
        try finalDecryptor.finish { plaintext in
            try outputDigest.update(plaintext)
            outputByteCount += plaintext.count
        }

        #expect(outputByteCount == Self.streamByteCount)
        #expect(encryptor.plaintextByteCount == UInt64(Self.streamByteCount))
        #expect(try outputDigest.finalize() == inputDigest.finalize())
        // One sealed segment each (the decryptor opens in place): independent of the 256 MiB
        // that went through.
        #expect(peakEncryptorBytes == sealedSegment)
        #expect(peakDecryptorBytes == sealedSegment)
        #expect(finalDecryptor.bufferedByteCapacity == sealedSegment)
    }
}
