import Foundation
import Testing
@testable import ZeroTrustIdentity
import ZeroTrustCrypto

@Suite("API keys")
struct APIKeyTests {
    @Test("Create, verify, revoke, expire; only a hash is stored")
    func lifecycle() async throws {
        let clock = TestClock(epoch)
        let store = InMemoryAPIKeyStore()
        let issuer = APIKeyIssuer(store: store, pepper: SymmetricKey(size: .bits256), clock: clock.function)
        let (key, record) = try await issuer.create(name: "fraud-model", roles: ["model_server"], scopes: ["predict"],
                                                    expiresAt: epoch.addingTimeInterval(3600))
        #expect(key.hasPrefix("ztk_\(record.id)_") && key.count == 4 + 16 + 1 + 43)
        let stored = try #require(try await store.record(id: record.id))
        #expect(!stored.secretHash.contains(String(key.suffix(43))) && stored.secretHash.hasPrefix("blake2b-256:"))
        #expect(try await issuer.verify(key).roles == ["model_server"])
        // A wrong secret with the right id, garbage, and a different pepper all fail.
        var wrong = Array(key.utf8)
        wrong[wrong.count - 2] = wrong[wrong.count - 2] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        #expect(await tokenError(.invalidAPIKey) { _ = try await issuer.verify(String(decoding: wrong, as: UTF8.self)) })
        #expect(await tokenError(.invalidAPIKey) { _ = try await issuer.verify("ztk_nothex_abc") })
        #expect(await tokenError(.invalidAPIKey) { _ = try await issuer.verify("") })
        let otherPepper = APIKeyIssuer(store: store, pepper: SymmetricKey(size: .bits256), clock: clock.function)
        #expect(await tokenError(.invalidAPIKey) { _ = try await otherPepper.verify(key) })
        clock.now = epoch.addingTimeInterval(3600)
        #expect(await tokenError(.invalidAPIKey) { _ = try await issuer.verify(key) })
        clock.now = epoch
        #expect(try await issuer.revoke(id: record.id))
        #expect(await tokenError(.invalidAPIKey) { _ = try await issuer.verify(key) })
        #expect(try await issuer.revoke(id: "0000000000000000") == false)
    }

    @Test("File store: atomic 0600 file, survives reopening, malformed file is an error")
    func fileStore() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("zt-apikeys-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("keys.json").path
        let issuer = APIKeyIssuer(store: try FileAPIKeyStore(path: path))
        let (key, record) = try await issuer.create(name: "m", roles: ["r"])
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)
        let reopened = APIKeyIssuer(store: try FileAPIKeyStore(path: path))
        #expect(try await reopened.verify(key).id == record.id)
        #expect(try await reopened.store.all().count == 1)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(!text.contains(String(key.suffix(43))))
        try "{not json".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: TokenError.self) { _ = try FileAPIKeyStore(path: path) }
    }
}
