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
        try await withStorePath { path in
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
            // A store already open sees the malformed replacement on its next lookup, and fails closed.
            #expect(await tokenError(.storeUnavailable) { _ = try await reopened.verify(key) })
        }
    }

    @Test("File store shared by two processes' instances: changes made by one are seen and kept by the other")
    func fileStoreSharedBetweenInstances() async throws {
        try await withStorePath { path in
            // Both opened on an empty store, as a service and a `zt apikey` run would be.
            let service = APIKeyIssuer(store: try FileAPIKeyStore(path: path))
            let tool = APIKeyIssuer(store: try FileAPIKeyStore(path: path))
            let (first, firstRecord) = try await service.create(name: "a")
            // The tool's instance has not read the file since; its own change must not drop the first key.
            let (second, _) = try await tool.create(name: "b")
            #expect(try await service.verify(second).name == "b")
            #expect(try await tool.verify(first).name == "a")
            // A revocation through the tool takes effect in the service at its next lookup.
            #expect(try await tool.revoke(id: firstRecord.id))
            #expect(await tokenError(.invalidAPIKey) { _ = try await service.verify(first) })
            #expect(Set(try await service.store.all().map(\.name)) == ["a", "b"])
            let mode = try FileManager.default.attributesOfItem(atPath: path + ".lock")[.posixPermissions] as? NSNumber
            #expect(mode?.intValue == 0o600)
        }
    }

    @Test("File store: two instances creating keys at the same time lose none of them")
    func fileStoreConcurrentChanges() async throws {
        try await withStorePath { path in
            let issuers = [APIKeyIssuer(store: try FileAPIKeyStore(path: path)), APIKeyIssuer(store: try FileAPIKeyStore(path: path))]
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<40 {
                    group.addTask { _ = try await issuers[index % 2].create(name: "k\(index)") }
                }
                try await group.waitForAll()
            }
            // Each save rewrote the file on top of what the other instance had saved meanwhile.
            let names = Set(try await APIKeyIssuer(store: try FileAPIKeyStore(path: path)).store.all().map(\.name))
            #expect(names == Set((0..<40).map { "k\($0)" }))
        }
    }

    @Test("File store: a lock file that is not this user's private file is refused")
    func fileStoreRefusesAnOpenLockFile() async throws {
        try await withStorePath { path in
            #expect(FileManager.default.createFile(atPath: path + ".lock", contents: nil, attributes: [.posixPermissions: 0o666]))
            let issuer = APIKeyIssuer(store: try FileAPIKeyStore(path: path))
            #expect(await tokenError(.storeUnavailable) { _ = try await issuer.create(name: "m") })
        }
    }
}

/// Runs `body` with the path of a store file in a fresh directory, removed afterwards.
func withStorePath(_ body: (String) async throws -> Void) async throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("zt-apikeys-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    try await body(directory.appendingPathComponent("keys.json").path)
}
