import Foundation
import Testing
@testable import ZeroTrustCrypto

@Suite("Secret memory, randomness and key files")
struct MemoryAndFileTests {
    @Test("Secrets never print")
    func redaction() throws {
        let key = SymmetricKey(data: [UInt8](repeating: 0xAB, count: 32))
        for text in [String(describing: key), String(reflecting: key), String(describing: key.bytes), "\(key)"] {
            #expect(!text.lowercased().contains("abab"), "\(text)")
            #expect(text.contains("redacted"))
        }
        var dumped = ""
        dump(key, to: &dumped)
        #expect(!dumped.contains("171"), "dump shows no byte values: \(dumped)")
        let ed = try Ed25519.PrivateKey(rawRepresentation: [UInt8](repeating: 0xCD, count: 32))
        #expect(!String(describing: ed).lowercased().contains("cdcd"))
    }

    @Test("Constant-time equality compares content and length")
    func equality() {
        #expect(constantTimeEquals([1, 2, 3] as [UInt8], [1, 2, 3] as [UInt8]))
        #expect(!constantTimeEquals([1, 2, 3] as [UInt8], [1, 2, 4] as [UInt8]))
        #expect(!constantTimeEquals([1, 2, 3] as [UInt8], [1, 2] as [UInt8]))
        #expect(constantTimeEquals([UInt8](), [UInt8]()))
        #expect(SecureBytes(copying: [1, 2] as [UInt8]) == SecureBytes(copying: [1, 2] as [UInt8]))
        #expect(SecureBytes(copying: [1, 2] as [UInt8]) != SecureBytes(copying: [1, 3] as [UInt8]))
    }

    /// `deinit` calls `wipe()` before freeing; reading freed memory would be undefined, so this
    /// checks the wipe itself on live storage.
    @Test("SecureBytes storage wipe leaves only zeros")
    func zeroization() {
        let secret = SecureBytes(copying: [UInt8](repeating: 0x5A, count: 64))
        let storage = secret.storage
        #expect((0..<64).allSatisfy { storage.pointer.load(fromByteOffset: $0, as: UInt8.self) == 0x5A })
        storage.wipe()
        #expect((0..<64).allSatisfy { storage.pointer.load(fromByteOffset: $0, as: UInt8.self) == 0 })
    }

    @Test("Random bytes are not constant and uniform values stay in range")
    func randomness() {
        let a = SecureRandom.bytes(count: 32), b = SecureRandom.bytes(count: 32)
        #expect(a != b && a.count == 32)
        // 64 KiB of output covers every byte value (a miss has probability ~256·e^-256).
        #expect(Set(SecureRandom.bytes(count: 65_536)).count == 256)
        #expect(Set((0..<64).map { _ in SecureRandom.uint64() }).count == 64)
        for bound: UInt64 in [1, 2, 3, 7, 1000, .max] {
            for _ in 0..<100 { #expect(SecureRandom.uniform(below: bound) < bound) }
        }
        #expect(SymmetricKey(size: .bits256) != SymmetricKey(size: .bits256))
    }

    @Test("Identifier bytes: distinct across buffer refills, and large draws go straight to the OS")
    func identifierRandomness() {
        // 16-byte draws: 256 per 4 KiB buffer, so 2,000 draws cross several refills.
        var seen = Set<[UInt8]>()
        for _ in 0..<2000 {
            var bytes = [UInt8](repeating: 0, count: 16)
            bytes.withUnsafeMutableBytes { SecureRandom.fillIdentifier($0) }
            #expect(bytes != [UInt8](repeating: 0, count: 16))
            seen.insert(bytes)
        }
        #expect(seen.count == 2000)
        var large = [UInt8](repeating: 0, count: 4096)
        large.withUnsafeMutableBytes { SecureRandom.fillIdentifier($0) }
        #expect(Set(large).count == 256)
    }

    @Test("Key files are written atomically with mode 0600 and read back")
    func secretFiles() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("zt-keys-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("key.pem").path
        let pem = try Ed25519.PrivateKey().pemRepresentation
        try SecretFile.write(pem, to: path)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect(try SecretFile.readText(path) == pem)
        // Replacing keeps the mode and leaves no temporary files behind.
        try SecretFile.write(SecureBytes(copying: [1, 2, 3] as [UInt8]), to: path)
        #expect(try SecretFile.read(path) == SecureBytes(copying: [1, 2, 3] as [UInt8]))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["key.pem"])
        // Errors are typed and name the path.
        let missing = directory.appendingPathComponent("missing").path
        do {
            _ = try SecretFile.read(missing)
            Issue.record("read a missing file")
        } catch let error as CryptoError {
            #expect(error.code == .fileError && error.message.contains(missing))
        }
        #expect(throwsCryptoError(.fileError) { try SecretFile.write("x", to: directory.appendingPathComponent("no/such/dir/key").path) })
        #expect(throwsCryptoError(.fileError) { _ = try SecretFile.read(directory.path) })
        #expect(throwsCryptoError(.fileError) { _ = try SecretFile.read(path, maximumByteCount: 2) })
    }

    @Test("Library versions are reported")
    func versions() {
        #expect(LibraryVersions.openSSL.hasPrefix("OpenSSL 3."))
        #expect(LibraryVersions.libsodium.split(separator: ".").count == 3)
    }
}
