import Foundation
import Synchronization
import Testing
import ZeroTrustCrypto
import ZeroTrustEnvelope
import ZeroTrustKitTesting

/// The cache's prepared sealers and its limits when many tasks seal at once.
@Suite("DataKeyCache sealers and concurrency")
struct DataKeyCacheSealerTests {
    @Test("a hit returns the data key's prepared sealer; other parameters get their own sealer for the same key")
    func preparedSealers() async throws {
        let kms = await makeKMS()
        let cache = try DataKeyCache(limits: .init(maximumAge: .seconds(60), maximumMessages: 100))
        let first = try await cache.sealer(keyID: "k", context: ["a": "1"], byteCount: 10, kms: kms)
        let second = try await cache.sealer(keyID: "k", context: ["a": "1"], byteCount: 10, kms: kms)
        #expect(first === second)
        #expect(cache.hits == 1 && cache.misses == 1)

        let chacha = try await cache.sealer(keyID: "k", context: ["a": "1"], byteCount: 10, kms: kms,
                                            algorithm: .xchacha20Poly1305, segmentSize: 4096)
        #expect(chacha !== first && chacha.dataKey.wrapped == first.dataKey.wrapped)
        #expect(chacha.algorithm == .xchacha20Poly1305 && chacha.segmentSize == 4096)
        #expect(try await cache.sealer(keyID: "k", context: ["a": "1"], byteCount: 10, kms: kms,
                                       algorithm: .xchacha20Poly1305, segmentSize: 4096) === chacha)
        #expect(cache.hits == 3 && cache.misses == 1)
        #expect(await kms.calls.filter { $0.operation == .generateDataKey }.count == 1)

        // What the prepared sealers produce opens, with the parameters asked for.
        let message = testBytes(10_000)
        let sealed = try await Envelope.seal(message, keyID: "k", context: ["a": "1"], kms: kms, cache: cache,
                                             algorithm: .xchacha20Poly1305, segmentSize: 4096)
        let header = try EnvelopeHeader(parsing: sealed)
        #expect(header.algorithm == .xchacha20Poly1305 && header.segmentSize == 4096 && header.wrappedKey == first.dataKey.wrapped)
        #expect(try await Envelope.open(sealed, kms: kms, expectedContext: ["a": "1"]) == message)

        // A negative byte count is refused, not trapped on, and not counted.
        await expectEnvelopeError(.invalidParameter) { _ = try await cache.sealer(keyID: "k", context: ["a": "1"], byteCount: -1, kms: kms) }
        await expectEnvelopeError(.invalidParameter) { _ = try await cache.dataKey(keyID: "k", context: ["a": "1"], byteCount: -1, kms: kms) }
        #expect(cache.hits == 4 && cache.misses == 1)

        // removeAll forgets the key and its sealers.
        cache.removeAll()
        #expect(try await cache.sealer(keyID: "k", context: ["a": "1"], byteCount: 10, kms: kms) !== first)
        #expect(cache.misses == 2)
    }

    @Test("under concurrent sealing no data key seals more than the message or byte limit")
    func concurrentLimits() async throws {
        let kms = await makeKMS()
        let limit = 7
        let cache = try DataKeyCache(limits: .init(maximumAge: .seconds(3600), maximumMessages: limit, maximumBytes: 1 << 40))
        let byteCache = try DataKeyCache(limits: .init(maximumAge: .seconds(3600), maximumMessages: 1 << 20, maximumBytes: 500))
        let message = testBytes(100)
        let tasks = 8, perTask = 25
        let (byMessages, byBytes) = try await withThrowingTaskGroup(of: ([[UInt8]], [[UInt8]]).self) { group in
            for _ in 0..<tasks {
                group.addTask {
                    var sealed: ([[UInt8]], [[UInt8]]) = ([], [])
                    for _ in 0..<perTask {
                        sealed.0.append(try await Envelope.seal(message, keyID: "k", context: ["c": "d"], kms: kms, cache: cache))
                        sealed.1.append(try await Envelope.seal(message, keyID: "k", context: ["c": "d"], kms: kms, cache: byteCache))
                    }
                    return sealed
                }
            }
            var all: ([[UInt8]], [[UInt8]]) = ([], [])
            for try await sealed in group {
                all.0 += sealed.0
                all.1 += sealed.1
            }
            return all
        }
        #expect(byMessages.count == tasks * perTask && byBytes.count == tasks * perTask)
        let uses = Dictionary(grouping: try byMessages.map { try EnvelopeHeader(parsing: $0).wrappedKey }, by: { $0 }).mapValues(\.count)
        #expect(uses.values.allSatisfy { $0 <= limit })
        #expect(uses.count >= (tasks * perTask + limit - 1) / limit)
        // 500 bytes allow five 100-byte messages per data key.
        let byteUses = Dictionary(grouping: try byBytes.map { try EnvelopeHeader(parsing: $0).wrappedKey }, by: { $0 }).mapValues(\.count)
        #expect(byteUses.values.allSatisfy { $0 <= 5 })
        #expect(cache.hits + cache.misses == tasks * perTask)
        #expect(cache.misses == uses.count)
        // Every envelope opens.
        for envelope in byMessages.prefix(20) + byBytes.prefix(20) {
            #expect(try await Envelope.open(envelope, kms: kms, expectedContext: ["c": "d"]) == message)
        }
    }

    @Test("one EnvelopeSealer shared by many tasks seals envelopes that each open, with distinct salts")
    func sharedSealer() async throws {
        let kms = await makeKMS()
        let dataKey = try await kms.generateDataKey(keyID: "k", context: .empty)
        let sealer = try EnvelopeSealer(dataKey: dataKey, segmentSize: 1024)
        let message = testBytes(3000)
        let sealed = try await withThrowingTaskGroup(of: [[UInt8]].self) { group in
            for _ in 0..<4 {
                group.addTask { try (0..<50).map { _ in try sealer.seal(message) } }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(Set(try sealed.map { try EnvelopeHeader(parsing: $0).salt }).count == sealed.count)
        for envelope in sealed {
            #expect(try Envelope.open(envelope, dataKey: dataKey.key) == message)
        }
    }
}
