import Foundation
import Testing
import ZeroTrustCrypto
@testable import ZeroTrustEnvelope
import ZeroTrustKitTesting

@Suite("Range decryption and rewrap")
struct RangeAndRewrapTests {
    @Test("random ranges equal the slice of the full plaintext", arguments: EnvelopeAlgorithm.allCases)
    func randomRanges(algorithm: EnvelopeAlgorithm) async throws {
        let kms = await makeKMS(algorithm: algorithm)
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var generator = SeededGenerator(state: 11)
        for (size, segment) in [(0, 16), (1, 16), (1000, 16), (4096, 4096), (100_003, 1024)] {
            let plaintext = testBytes(size, seed: UInt64(size))
            let path = directory.appendingPathComponent("e-\(size)").path
            try Data(try await Envelope.seal(plaintext, keyID: "k", kms: kms, algorithm: algorithm, segmentSize: segment))
                .write(to: URL(fileURLWithPath: path))
            let reader = try await EnvelopeRangeReader(path: path, kms: kms)
            #expect(reader.plaintextByteCount == UInt64(size))
            #expect(try reader.read(0..<UInt64(size)) == plaintext)
            for _ in 0..<60 where size > 0 {
                let start = Int.random(in: 0..<size, using: &generator)
                let end = Int.random(in: start...size, using: &generator)
                #expect(try reader.read(UInt64(start)..<UInt64(end)) == Array(plaintext[start..<end]), "\(start)..<\(end) of \(size)")
            }
            await expectEnvelopeError(.rangeOutOfBounds) { _ = try reader.read(0..<UInt64(size + 1)) }
        }
    }

    @Test("range decryption to a file reads only what it needs and still verifies it")
    func rangeToFile() async throws {
        let kms = await makeKMS()
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let plaintext = testBytes(64 * 100)
        var sealed = try await Envelope.seal(plaintext, keyID: "k", kms: kms, segmentSize: 64)
        let header = try EnvelopeHeader(parsing: sealed)
        // Corrupt segment 50: ranges elsewhere still decrypt, ranges touching it fail.
        sealed[header.byteCount + 50 * 80 + 3] ^= 0xFF
        let input = directory.appendingPathComponent("in").path
        try Data(sealed).write(to: URL(fileURLWithPath: input))
        let out = directory.appendingPathComponent("out").path
        try await EnvelopeFile.decrypt(inputPath: input, outputPath: out, kms: kms, range: 100..<1000)
        #expect(try Data(contentsOf: URL(fileURLWithPath: out)) == Data(plaintext[100..<1000]))
        let bad = directory.appendingPathComponent("bad").path
        await expectEnvelopeError(.segmentAuthenticationFailed) {
            try await EnvelopeFile.decrypt(inputPath: input, outputPath: bad, kms: kms, range: 3000..<3300)
        }
        #expect(!FileManager.default.fileExists(atPath: bad))
        // Cut at a segment boundary: the (new) last segment was not sealed as last.
        let cut = directory.appendingPathComponent("cut").path
        try Data(sealed[..<(header.byteCount + 10 * 80)]).write(to: URL(fileURLWithPath: cut))
        let reader = try await EnvelopeRangeReader(path: cut, kms: kms)
        #expect(try reader.read(0..<64) == Array(plaintext[0..<64]))
        await expectEnvelopeError(.segmentAuthenticationFailed) { _ = try reader.read(600..<640) }
    }

    @Test("rotate then rewrap: only the header changes, the new version unwraps, the old may be disabled")
    func rewrap() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let kms = try LocalKMS.create(directory: directory.appendingPathComponent("keys").path, masterKey: .key(SymmetricKey(size: .bits256)))
        try await kms.createKey("k")
        let plaintext = testBytes(10_000)
        let path = directory.appendingPathComponent("e").path
        try Data(try await Envelope.seal(plaintext, keyID: "k", context: ["a": "1"], kms: kms, segmentSize: 1024))
            .write(to: URL(fileURLWithPath: path))
        let before = try Array(Data(contentsOf: URL(fileURLWithPath: path)))
        let oldHeader = try EnvelopeHeader(parsing: before)
        #expect(oldHeader.keyReference.version == 1)

        try await kms.rotateKey("k")
        let rewrapped = try await EnvelopeFile.rewrap(path: path, kms: kms)
        #expect(rewrapped.keyReference == KeyReference(keyID: "k", version: 2))
        let after = try Array(Data(contentsOf: URL(fileURLWithPath: path)))
        let newHeader = try EnvelopeHeader(parsing: after)
        #expect(Array(after[newHeader.byteCount...]) == Array(before[oldHeader.byteCount...]), "segments untouched")
        #expect(newHeader.keyCommitment == oldHeader.keyCommitment && newHeader.salt == oldHeader.salt)
        #expect(newHeader.wrappedKey != oldHeader.wrappedKey)

        // With version 1 disabled, the rewrapped envelope still opens; the old bytes do not.
        try await kms.disableVersion(1, of: "k")
        #expect(try await Envelope.open(after, kms: kms, expectedContext: ["a": "1"]) == plaintext)
        await expectEnvelopeError(.keyVersionDisabled) { _ = try await Envelope.open(before, kms: kms) }
        // The primary version cannot be disabled.
        await expectEnvelopeError(.invalidParameter) { try await kms.disableVersion(2, of: "k") }
    }

    @Test("rewrap refuses a tampered header (commitment) and leaves the file untouched")
    func rewrapChecksCommitment() async throws {
        let kms = await makeKMS()
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var sealed = try await Envelope.seal(testBytes(100), keyID: "k", kms: kms, segmentSize: 16)
        sealed[20] ^= 1   // inside the salt
        let path = directory.appendingPathComponent("e").path
        try Data(sealed).write(to: URL(fileURLWithPath: path))
        await expectEnvelopeError(.headerAuthenticationFailed) { try await EnvelopeFile.rewrap(path: path, kms: kms) }
        #expect(try Array(Data(contentsOf: URL(fileURLWithPath: path))) == sealed)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["e"])
    }
}
