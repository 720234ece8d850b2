import Foundation
import Testing
import ZeroTrustCrypto
@testable import ZeroTrustEnvelope

@Suite("LocalKMS")
struct LocalKMSTests {
    /// Cheap Argon2id costs so that tests stay fast; real keyrings default to `.moderate`.
    static let testArgon2 = Argon2id.Parameters(iterations: 1, memoryBytes: 64 << 10)

    static func passphrase(_ text: String) -> LocalKMS.MasterKey { .passphrase(SecureBytes(copying: Array(text.utf8))) }

    @Test("a passphrase keyring persists keys; a wrong passphrase is a clear wrongMasterKey error")
    func passphrase() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let dir = directory.appendingPathComponent("keys").path
        let kms = try LocalKMS.create(directory: dir, masterKey: Self.passphrase("correct horse"), argon2: Self.testArgon2)
        try await kms.createKey("datasets", algorithm: .xchacha20Poly1305)
        let sealed = try await Envelope.seal(testBytes(500), keyID: "datasets", context: ["d": "1"], kms: kms)

        // The keyring records the Argon2id costs it was made with.
        let text = try String(contentsOfFile: dir + "/keyring", encoding: .utf8)
        #expect(text.contains("\"argon2Iterations\":1") && text.contains("\"argon2MemoryBytes\":65536"))
        #expect(!text.contains("correct horse"))
        let mode = try FileManager.default.attributesOfItem(atPath: dir + "/keyring")[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)

        let reopened = try LocalKMS(directory: dir, masterKey: Self.passphrase("correct horse"))
        #expect(try await Envelope.open(sealed, kms: reopened) == testBytes(500))
        #expect(await reopened.listKeys().map(\.keyID) == ["datasets"])

        let error = await envelopeError { _ = try LocalKMS(directory: dir, masterKey: Self.passphrase("wrong horse")) }
        #expect(error?.code == .wrongMasterKey && error?.message.contains("passphrase does not open") == true)
        await expectEnvelopeError(.wrongMasterKey) { _ = try LocalKMS(directory: dir, masterKey: .key(SymmetricKey(size: .bits256))) }
        await expectEnvelopeError(.keyringExists) {
            _ = try LocalKMS.create(directory: dir, masterKey: Self.passphrase("x"), argon2: Self.testArgon2)
        }
    }

    @Test("a key-file keyring: raw and base64 key files; a wrong key file is refused")
    func keyFile() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let raw = testBytes(32, seed: 3)
        let rawPath = directory.appendingPathComponent("master.raw").path
        let base64Path = directory.appendingPathComponent("master.b64").path
        try Data(raw).write(to: URL(fileURLWithPath: rawPath))
        try (Data(raw).base64EncodedString() + "\n").write(toFile: base64Path, atomically: true, encoding: .utf8)
        let dir = directory.appendingPathComponent("keys").path
        let kms = try LocalKMS.create(directory: dir, masterKey: .keyFile(rawPath))
        try await kms.createKey("k")
        let sealed = try await Envelope.seal(testBytes(10), keyID: "k", kms: kms)
        let viaBase64 = try LocalKMS(directory: dir, masterKey: .keyFile(base64Path))
        #expect(try await Envelope.open(sealed, kms: viaBase64) == testBytes(10))
        let wrongPath = directory.appendingPathComponent("wrong").path
        try Data(testBytes(32, seed: 4)).write(to: URL(fileURLWithPath: wrongPath))
        await expectEnvelopeError(.wrongMasterKey) { _ = try LocalKMS(directory: dir, masterKey: .keyFile(wrongPath)) }
        await expectEnvelopeError(.wrongMasterKey) { _ = try LocalKMS(directory: dir, masterKey: Self.passphrase("p")) }
        await expectEnvelopeError(.keyringUnavailable) { _ = try LocalKMS(directory: directory.path, masterKey: .keyFile(rawPath)) }
    }

    @Test("rotation keeps old versions unwrapping; describe, list, destroy (crypto-shredding)")
    func lifecycle() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let clock = FixedClock(Date(timeIntervalSince1970: 1_800_000_000))
        let kms = try LocalKMS.create(directory: directory.path + "/k", masterKey: .key(SymmetricKey(size: .bits256)), now: clock.now)
        let created = try await kms.createKey("k")
        #expect(created.primaryVersion == 1 && created.versions.map(\.createdAt) == [Date(timeIntervalSince1970: 1_800_000_000)])
        await expectEnvelopeError(.keyExists) { try await kms.createKey("k") }
        await expectEnvelopeError(.invalidParameter) { try await kms.createKey("") }
        let v1 = try await Envelope.seal(testBytes(100), keyID: "k", kms: kms)
        let rotated = try await kms.rotateKey("k")
        #expect(rotated.primaryVersion == 2 && rotated.versions.map(\.version) == [1, 2])
        let v2 = try await Envelope.seal(testBytes(100), keyID: "k", kms: kms)
        #expect(try EnvelopeHeader(parsing: v2).keyReference.version == 2)
        #expect(try await Envelope.open(v1, kms: kms) == testBytes(100))
        #expect(try await Envelope.open(v2, kms: kms) == testBytes(100))
        #expect(try await kms.describeKey("k").primaryVersion == 2)
        await expectEnvelopeError(.keyNotFound) { _ = try await kms.describeKey("nope") }
        await expectEnvelopeError(.keyVersionNotFound) { try await kms.disableVersion(7, of: "k") }

        try await kms.destroyKey("k")
        await expectEnvelopeError(.keyDestroyed) { _ = try await Envelope.open(v1, kms: kms) }
        await expectEnvelopeError(.keyDestroyed) { _ = try await Envelope.seal([1], keyID: "k", kms: kms) }
        await expectEnvelopeError(.keyExists) { try await kms.createKey("k") }
        let text = try String(contentsOfFile: directory.path + "/k/keyring", encoding: .utf8)
        #expect(!text.contains("\"material\""), "destroyed material must be gone from the keyring")
        #expect(await kms.listKeys().first?.versions.allSatisfy { $0.state == .destroyed } == true)
    }

    @Test("a keyring modified on disk is refused as tampered; changes by another instance are picked up")
    func tamperAndReload() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let master = SymmetricKey(size: .bits256)
        let dir = directory.path + "/k"
        let a = try LocalKMS.create(directory: dir, masterKey: .key(master))
        try await a.createKey("k")
        let b = try LocalKMS(directory: dir, masterKey: .key(master))
        try await b.rotateKey("k")
        let fromB = try await Envelope.seal(testBytes(5), keyID: "k", kms: b)
        // a has never seen version 2; unwrap reloads.
        #expect(try await Envelope.open(fromB, kms: a) == testBytes(5))

        let path = dir + "/keyring"
        let original = try String(contentsOfFile: path, encoding: .utf8)
        let edited = original.replacingOccurrences(of: "\"primary\":2", with: "\"primary\":1")
        #expect(edited != original)
        try edited.write(toFile: path, atomically: true, encoding: .utf8)
        await expectEnvelopeError(.keyringTampered) { _ = try LocalKMS(directory: dir, masterKey: .key(master)) }
        await expectEnvelopeError(.keyringTampered) { try await a.reload() }
        try "garbage".write(toFile: path, atomically: true, encoding: .utf8)
        await expectEnvelopeError(.keyringUnavailable) { _ = try LocalKMS(directory: dir, masterKey: .key(master)) }
    }
}

/// A settable clock for `now:` parameters.
final class FixedClock: Sendable {
    let date: Date
    init(_ date: Date) { self.date = date }
    var now: @Sendable () -> Date { { [date] in date } }
}
