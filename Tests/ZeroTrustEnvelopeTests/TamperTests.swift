import Foundation
import Testing
import ZeroTrustCrypto
@testable import ZeroTrustEnvelope
import ZeroTrustKitTesting

/// Every modification of an envelope fails with a typed `EnvelopeError` and yields no plaintext.
@Suite("Envelope tampering")
struct TamperTests {
    static let segment = 16
    static let plaintext = testBytes(5 * segment + 5)   // 6 segments, the last partial

    struct Fixture {
        let kms: InMemoryKMS
        let sealed: [UInt8]
        let header: EnvelopeHeader
        var body: [UInt8] { Array(sealed[header.byteCount...]) }
        var sealedSegment: Int { TamperTests.segment + 16 }

        func segments() -> [[UInt8]] {
            stride(from: 0, to: body.count, by: sealedSegment).map { Array(body[$0..<min(body.count, $0 + sealedSegment)]) }
        }

        /// Opens `bytes` one-shot and through the streaming path; both must fail with an
        /// integrity code, and the streaming path may only have released an authentic prefix.
        func expectRejected(_ bytes: [UInt8], _ what: String, sourceLocation: SourceLocation = #_sourceLocation) async {
            let error = await envelopeError(sourceLocation: sourceLocation) { _ = try await Envelope.open(bytes, kms: kms) }
            #expect(error.map { integrityCodes.contains($0.code) } == true, "\(what): \(String(describing: error))",
                    sourceLocation: sourceLocation)
            var released: [UInt8] = []
            let streamed = await envelopeError(sourceLocation: sourceLocation) {
                _ = try await Envelope.decrypt(chunkStream([bytes]), kms: kms) { released += $0 }
            }
            #expect(streamed.map { integrityCodes.contains($0.code) } == true, "\(what) (streaming): \(String(describing: streamed))",
                    sourceLocation: sourceLocation)
            #expect(released.count < TamperTests.plaintext.count && Array(TamperTests.plaintext.prefix(released.count)) == released,
                    "\(what): streaming released \(released.count) bytes that are not an authentic prefix", sourceLocation: sourceLocation)
        }
    }

    static func fixture(context: EncryptionContext = ["data_id": "ds-9"]) async throws -> Fixture {
        let kms = await makeKMS()
        let sealed = try await Envelope.seal(plaintext, keyID: "k", context: context, kms: kms, segmentSize: segment)
        return Fixture(kms: kms, sealed: sealed, header: try EnvelopeHeader(parsing: sealed))
    }

    @Test("flipping any bit pattern in any byte of the header or body is detected")
    func flipEveryByte() async throws {
        let fixture = try await Self.fixture()
        #expect(try await Envelope.open(fixture.sealed, kms: fixture.kms) == Self.plaintext)
        for position in fixture.sealed.indices {
            for mask: UInt8 in [0x01, 0x80] {
                var tampered = fixture.sealed
                tampered[position] ^= mask
                await fixture.expectRejected(tampered, "byte \(position) ^ \(mask)")
            }
        }
    }

    @Test("truncation at every length, at and between segment boundaries, is detected")
    func truncateEverywhere() async throws {
        let fixture = try await Self.fixture()
        for length in 0..<fixture.sealed.count {
            await fixture.expectRejected(Array(fixture.sealed[..<length]), "truncated to \(length)")
        }
    }

    @Test("dropping, duplicating, swapping segments and appending data are detected")
    func segmentSurgery() async throws {
        let fixture = try await Self.fixture()
        let header = Array(fixture.sealed[..<fixture.header.byteCount])
        let segments = fixture.segments()
        #expect(segments.count == 6)
        for index in segments.indices {
            var dropped = segments
            dropped.remove(at: index)
            await fixture.expectRejected(header + dropped.joined(), "segment \(index) dropped")
            var duplicated = segments
            duplicated.insert(segments[index], at: index)
            await fixture.expectRejected(header + duplicated.joined(), "segment \(index) duplicated")
        }
        for (a, b) in [(0, 1), (1, 4), (0, 5), (4, 5)] {
            var swapped = segments
            swapped.swapAt(a, b)
            await fixture.expectRejected(header + swapped.joined(), "segments \(a) and \(b) swapped")
        }
        await fixture.expectRejected(fixture.sealed + [0], "one byte appended")
        await fixture.expectRejected(fixture.sealed + Array(repeating: 0, count: 16), "a tag's worth appended")
        await fixture.expectRejected(fixture.sealed + segments[0], "a segment appended")
        await fixture.expectRejected(fixture.sealed + fixture.sealed, "the envelope appended to itself")
    }

    @Test("segments swapped between two envelopes under the same key and context are detected")
    func crossEnvelopeSplice() async throws {
        let kms = await makeKMS()
        let a = try await Envelope.seal(Self.plaintext, keyID: "k", context: ["x": "1"], kms: kms, segmentSize: Self.segment)
        let b = try await Envelope.seal(Self.plaintext, keyID: "k", context: ["x": "1"], kms: kms, segmentSize: Self.segment)
        let headerA = try EnvelopeHeader(parsing: a)
        let headerB = try EnvelopeHeader(parsing: b)
        #expect(headerA.byteCount == headerB.byteCount)
        let fixture = Fixture(kms: kms, sealed: a, header: headerA)
        // Segment 2 of b in place of segment 2 of a, same plaintext, same key id, same context.
        var spliced = a
        let start = headerA.byteCount + 2 * 32
        spliced.replaceSubrange(start..<(start + 32), with: b[start..<(start + 32)])
        await fixture.expectRejected(spliced, "segment 2 from another envelope")
        // a's header on b's body.
        await fixture.expectRejected(Array(a[..<headerA.byteCount]) + Array(b[headerB.byteCount...]), "header of a, body of b")
        // b's wrapped key in a's header: unwraps to b's key, which fails a's commitment.
        let mixed = try headerA.replacingWrappedKey(headerB.wrappedKey).bytes + Array(a[headerA.byteCount...])
        let error = await envelopeError { _ = try await Envelope.open(mixed, kms: kms) }
        #expect(error?.code == .headerAuthenticationFailed)
    }

    @Test("wrong required context, wrong key, disabled and destroyed key versions")
    func keysAndContexts() async throws {
        let fixture = try await Self.fixture(context: ["data_id": "ds-9"])
        await expectEnvelopeError(.contextMismatch) {
            _ = try await Envelope.open(fixture.sealed, kms: fixture.kms, expectedContext: ["data_id": "ds-10"])
        }
        await expectEnvelopeError(.contextMismatch) {
            _ = try await Envelope.open(fixture.sealed, kms: fixture.kms, expectedContext: .empty)
        }
        // The wrapped key is bound to the context: unwrapping under another one fails.
        await expectEnvelopeError(.unwrapFailed) {
            _ = try await fixture.kms.unwrap(fixture.header.wrappedKey, context: ["data_id": "ds-10"])
        }
        // Another KMS with a key of the same id cannot unwrap (wrong key).
        let stranger = await makeKMS()
        await expectEnvelopeError(.unwrapFailed) { _ = try await Envelope.open(fixture.sealed, kms: stranger) }
        // A random data key fails the commitment before any segment is touched.
        await expectEnvelopeError(.headerAuthenticationFailed) {
            _ = try Envelope.open(fixture.sealed, dataKey: SymmetricKey(size: .bits256))
        }
        // Disabled version.
        try await fixture.kms.rotateKey("k")
        try await fixture.kms.setState(.disabled, version: 1, of: "k")
        await expectEnvelopeError(.keyVersionDisabled) { _ = try await Envelope.open(fixture.sealed, kms: fixture.kms) }
        try await fixture.kms.setState(.enabled, version: 1, of: "k")
        #expect(try await Envelope.open(fixture.sealed, kms: fixture.kms) == Self.plaintext)
        // Destroyed key.
        await fixture.kms.destroyKey("k")
        await expectEnvelopeError(.keyDestroyed) { _ = try await Envelope.open(fixture.sealed, kms: fixture.kms) }
    }

    @Test("a failed file decryption leaves no output file")
    func noOutputOnFailure() async throws {
        let fixture = try await Self.fixture()
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var tampered = fixture.sealed
        tampered[tampered.count - 1] ^= 1   // the final segment's tag: every earlier segment is fine
        let input = directory.appendingPathComponent("in").path
        let output = directory.appendingPathComponent("out").path
        try Data(tampered).write(to: URL(fileURLWithPath: input))
        await expectEnvelopeError(.segmentAuthenticationFailed) {
            try await EnvelopeFile.decrypt(inputPath: input, outputPath: output, kms: fixture.kms)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["in"])
    }

    @Test("unknown versions and algorithms are refused with clear errors")
    func unknownVersion() async throws {
        let fixture = try await Self.fixture()
        var future = fixture.sealed
        future[4] = 2
        let error = await envelopeError { _ = try await Envelope.open(future, kms: fixture.kms) }
        #expect(error?.code == .unsupportedVersion && error?.message.contains("version 2") == true)
        var algorithm = fixture.sealed
        algorithm[5] = 9
        await expectEnvelopeError(.unsupportedAlgorithm) { _ = try await Envelope.open(algorithm, kms: fixture.kms) }
        await expectEnvelopeError(.malformedHeader) { _ = try await Envelope.open(Array("not an envelope".utf8), kms: fixture.kms) }
    }
}
