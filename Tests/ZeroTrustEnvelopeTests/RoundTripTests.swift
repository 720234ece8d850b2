import Foundation
import Testing
import ZeroTrustCrypto
@testable import ZeroTrustEnvelope
import ZeroTrustKitTesting

@Suite("Envelope round trips")
struct RoundTripTests {
    static let segment = 64
    /// 0, 1, segment − 1, segment, segment + 1, many segments (and a multiple of the segment).
    static let sizes = [0, 1, segment - 1, segment, segment + 1, 2 * segment, 10 * segment + 7, 100 * segment]

    @Test("one-shot seal/open at every boundary size", arguments: EnvelopeAlgorithm.allCases)
    func oneShot(algorithm: EnvelopeAlgorithm) async throws {
        let kms = await makeKMS(algorithm: algorithm)
        let context: EncryptionContext = ["data_id": "ds-1", "data_type": "training-set"]
        for size in Self.sizes {
            let plaintext = testBytes(size, seed: UInt64(size))
            let sealed = try await Envelope.seal(plaintext, keyID: "k", context: context, kms: kms, algorithm: algorithm,
                                                 segmentSize: Self.segment)
            let header = try EnvelopeHeader(parsing: sealed)
            let segments = max(1, (size + Self.segment - 1) / Self.segment)
            #expect(sealed.count == header.byteCount + size + 16 * segments, "size \(size)")
            #expect(header.algorithm == algorithm && header.context == context && header.keyReference == KeyReference(keyID: "k", version: 1))
            #expect(try await Envelope.open(sealed, kms: kms, expectedContext: context) == plaintext, "size \(size)")
            #expect(header.plaintextByteCount(envelopeByteCount: UInt64(sealed.count)) == UInt64(size))
        }
    }

    @Test("the default segment size round-trips a multi-segment object")
    func defaultSegmentSize() async throws {
        let kms = await makeKMS()
        let plaintext = testBytes(3 * EnvelopeHeader.defaultSegmentSize + 5)
        let sealed = try await Envelope.seal(plaintext, keyID: "k", kms: kms)
        #expect(try EnvelopeHeader(parsing: sealed).segmentSize == EnvelopeHeader.defaultSegmentSize)
        #expect(try await Envelope.open(sealed, kms: kms) == plaintext)
    }

    @Test("streaming encryptor/decryptor with random chunking equals one-shot results", arguments: EnvelopeAlgorithm.allCases)
    func streaming(algorithm: EnvelopeAlgorithm) async throws {
        let kms = await makeKMS(algorithm: algorithm)
        var generator = SeededGenerator(state: 42)
        for size in Self.sizes {
            let plaintext = testBytes(size, seed: 9)
            let dataKey = try await kms.generateDataKey(keyID: "k", context: .empty)
            let encryptor = try EnvelopeEncryptor(dataKey: dataKey, context: .empty, algorithm: algorithm, segmentSize: Self.segment)
            var sealed: [UInt8] = []
            for chunk in randomChunks(plaintext, maximum: 3 * Self.segment, generator: &generator) {
                try encryptor.update(chunk) { sealed.append(contentsOf: $0) }
            }
            try encryptor.finish { sealed.append(contentsOf: $0) }
            #expect(encryptor.plaintextByteCount == UInt64(size))

            let header = try EnvelopeHeader(parsing: sealed)
            let decryptor = try EnvelopeDecryptor(header: header, dataKey: dataKey.key)
            var opened: [UInt8] = []
            for chunk in randomChunks(Array(sealed[header.byteCount...]), maximum: 3 * Self.segment, generator: &generator) {
                try decryptor.update(chunk) { opened.append(contentsOf: $0) }
            }
            try decryptor.finish { opened.append(contentsOf: $0) }
            #expect(opened == plaintext, "size \(size)")
            #expect(try await Envelope.open(sealed, kms: kms) == plaintext)
        }
    }

    @Test("async sequences: encrypt chunks, decrypt chunks")
    func asyncSequences() async throws {
        let kms = await makeKMS()
        var generator = SeededGenerator(state: 7)
        let plaintext = testBytes(20 * Self.segment + 3)
        var sealed: [UInt8] = []
        let header = try await Envelope.encrypt(chunkStream(randomChunks(plaintext, maximum: 200, generator: &generator)),
                                                keyID: "k", context: ["a": "b"], kms: kms, segmentSize: Self.segment) { sealed += $0 }
        #expect(header.context == ["a": "b"])
        var opened: [UInt8] = []
        let read = try await Envelope.decrypt(chunkStream(randomChunks(sealed, maximum: 50, generator: &generator)), kms: kms,
                                              expectedContext: ["a": "b"]) { opened += $0 }
        #expect(opened == plaintext && read == header)
    }

    @Test("files and file handles round-trip, outputs are mode 0600")
    func files() async throws {
        let kms = await makeKMS()
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let plaintext = testBytes(3 * (1 << 20) + 11)
        let plainPath = directory.appendingPathComponent("plain").path
        let sealedPath = directory.appendingPathComponent("sealed").path
        let openedPath = directory.appendingPathComponent("opened").path
        try Data(plaintext).write(to: URL(fileURLWithPath: plainPath))
        var progress: [UInt64] = []
        try await EnvelopeFile.encrypt(inputPath: plainPath, outputPath: sealedPath, keyID: "k", context: ["f": "1"], kms: kms,
                                       segmentSize: 4096) { progress.append($0) }
        #expect(progress.last == UInt64(plaintext.count))
        try await EnvelopeFile.decrypt(inputPath: sealedPath, outputPath: openedPath, kms: kms, expectedContext: ["f": "1"])
        #expect(try Data(contentsOf: URL(fileURLWithPath: openedPath)) == Data(plaintext))
        let mode = try FileManager.default.attributesOfItem(atPath: openedPath)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)

        // FileHandle API.
        let handleSealed = directory.appendingPathComponent("h.sealed").path
        let handleOpened = directory.appendingPathComponent("h.opened").path
        #expect(FileManager.default.createFile(atPath: handleSealed, contents: nil))
        #expect(FileManager.default.createFile(atPath: handleOpened, contents: nil))
        do {
            let input = try FileHandle(forReadingFrom: URL(fileURLWithPath: plainPath))
            let output = try FileHandle(forWritingTo: URL(fileURLWithPath: handleSealed))
            try await EnvelopeFile.encrypt(from: input, to: output, keyID: "k", kms: kms)
            try input.close()
            try output.close()
        }
        do {
            let input = try FileHandle(forReadingFrom: URL(fileURLWithPath: handleSealed))
            let output = try FileHandle(forWritingTo: URL(fileURLWithPath: handleOpened))
            try await EnvelopeFile.decrypt(from: input, to: output, kms: kms)
            try input.close()
            try output.close()
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: handleOpened)) == Data(plaintext))
    }

    @Test("the format matches an independent re-implementation of the spec (known-answer)", arguments: EnvelopeAlgorithm.allCases)
    func independentReimplementation(algorithm: EnvelopeAlgorithm) async throws {
        let kms = await makeKMS(algorithm: algorithm)
        let context: EncryptionContext = ["data_type": "weights", "data_id": "m-7"]
        let dataKey = try await kms.generateDataKey(keyID: "k", context: context)
        let salt = Array(0..<32).map(UInt8.init)
        let prefix = Array(repeating: UInt8(0xA0), count: algorithm.noncePrefixByteCount)
        let plaintext = testBytes(40)
        let encryptor = try EnvelopeEncryptor(dataKey: dataKey, context: context, algorithm: algorithm, segmentSize: 16,
                                              expectedByteCount: nil, salt: salt, noncePrefix: prefix)
        var sealed: [UInt8] = []
        try encryptor.update(plaintext) { sealed += $0 }
        try encryptor.finish { sealed += $0 }

        // Rebuild the envelope from the spec with one-shot primitives only.
        func be32(_ v: Int) -> [UInt8] { [UInt8(v >> 24 & 0xff), UInt8(v >> 16 & 0xff), UInt8(v >> 8 & 0xff), UInt8(v & 0xff)] }
        // Canonical context: count, then pairs sorted by key: data_id < data_type.
        let contextBytes: [UInt8] = [0, 2, 0, 7] + Array("data_id".utf8) + [0, 3] + Array("m-7".utf8)
            + [0, 9] + Array("data_type".utf8) + [0, 7] + Array("weights".utf8)
        let wrapped = dataKey.wrapped.bytes
        let keyFields: [UInt8] = [1] + Array("k".utf8) + be32(1) + [UInt8(wrapped.count >> 8), UInt8(wrapped.count & 0xff)] + wrapped
        let fixed: [UInt8] = Array("ZTEV".utf8) + [1, algorithm.rawValue] + be32(16)
        let authenticatedTail = salt + prefix + [UInt8(contextBytes.count >> 8), UInt8(contextBytes.count & 0xff)] + contextBytes
        let headerLength = fixed.count + 4 + authenticatedTail.count + keyFields.count + 32
        let digest = try SHA2.hash(fixed + authenticatedTail, using: .sha256).bytes
        let okm = try HKDF.expand(pseudoRandomKey: dataKey.key, info: Array("ZTEV v1 payload key + commitment".utf8) + salt + digest,
                                  outputByteCount: 64, algorithm: .sha256).withUnsafeBytes { Array($0) }
        var expected = fixed + be32(headerLength) + authenticatedTail + keyFields + Array(okm[32...])
        let payloadKey = SymmetricKey(data: Array(okm[..<32]))
        for (index, range) in [(0, 0..<16), (1, 16..<32), (2, 32..<40)] {
            let nonce = prefix + be32(index) + [index == 2 ? 1 : 0]
            let box = algorithm == .aes256GCM
                ? try AES256GCM.seal(Array(plaintext[range]), using: payloadKey, nonce: nonce)
                : try XChaCha20Poly1305.seal(Array(plaintext[range]), using: payloadKey, nonce: nonce)
            expected += box.ciphertext + box.tag
        }
        #expect(sealed == expected)
        #expect(try Envelope.open(sealed, dataKey: dataKey.key) == plaintext)
    }
}
