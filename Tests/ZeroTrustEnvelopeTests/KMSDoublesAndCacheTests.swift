import Foundation
import Synchronization
import Testing
import ZeroTrustCrypto
@testable import ZeroTrustEnvelope
import ZeroTrustKitTesting

@Suite("InMemoryKMS, DataKeyCache, EncryptionContext, WrappedKey")
struct KMSDoublesAndCacheTests {
    @Test("injected failures surface as typed errors, in order, and are logged")
    func faultInjection() async throws {
        let kms = await makeKMS()
        await kms.failNext(.generateDataKey, with: EnvelopeError(code: .kmsUnavailable, message: "injected outage"), count: 2)
        await expectEnvelopeError(.kmsUnavailable) { _ = try await Envelope.seal([1, 2, 3], keyID: "k", kms: kms) }
        await expectEnvelopeError(.kmsUnavailable) { _ = try await Envelope.seal([1, 2, 3], keyID: "k", kms: kms) }
        let sealed = try await Envelope.seal([1, 2, 3], keyID: "k", context: ["c": "1"], kms: kms)
        await kms.failNext(.unwrap, with: EnvelopeError(code: .kmsUnavailable, message: "injected"))
        await expectEnvelopeError(.kmsUnavailable) { _ = try await Envelope.open(sealed, kms: kms) }
        #expect(try await Envelope.open(sealed, kms: kms) == [1, 2, 3])

        let calls = await kms.calls
        #expect(calls.map(\.operation) == [.generateDataKey, .generateDataKey, .generateDataKey, .unwrap, .unwrap])
        #expect(calls.map(\.succeeded) == [false, false, true, false, true])
        #expect(calls[2].context == ["c": "1"] && calls[2].version == 1 && calls[4].keyID == "k")
    }

    @Test("latency goes through the injected sleep, per operation")
    func latency() async throws {
        let slept = Mutex<[Duration]>([])
        let kms = InMemoryKMS(sleep: { duration in slept.withLock { $0.append(duration) } })
        await kms.createKey("k")
        await kms.setLatency(.milliseconds(250), for: .unwrap)
        let sealed = try await Envelope.seal([9], keyID: "k", kms: kms)
        #expect(slept.withLock { $0 }.isEmpty)
        _ = try await Envelope.open(sealed, kms: kms)
        #expect(slept.withLock { $0 } == [.milliseconds(250)])
    }

    @Test("a seed makes keys deterministic; no seed makes them random")
    func deterministic() async throws {
        func dataKeyBytes(_ kms: InMemoryKMS) async throws -> [UInt8] {
            await kms.createKey("k")
            return try await kms.generateDataKey(keyID: "k", context: .empty).key.withUnsafeBytes { Array($0) }
        }
        #expect(try await dataKeyBytes(InMemoryKMS(seed: 5)) == (try await dataKeyBytes(InMemoryKMS(seed: 5))))
        #expect(try await dataKeyBytes(InMemoryKMS(seed: 5)) != (try await dataKeyBytes(InMemoryKMS(seed: 6))))
        #expect(try await dataKeyBytes(InMemoryKMS()) != (try await dataKeyBytes(InMemoryKMS())))
        // Same seed, same KEK: one instance unwraps what the other wrapped.
        let a = InMemoryKMS(seed: 1), b = InMemoryKMS(seed: 1)
        await a.createKey("k")
        await b.createKey("k")
        let sealed = try await Envelope.seal([4, 2], keyID: "k", kms: a)
        #expect(try await Envelope.open(sealed, kms: b) == [4, 2])
    }

    @Test("the data key cache re-uses keys within its age, message and byte limits")
    func cacheLimits() async throws {
        let kms = await makeKMS()
        let time = Mutex(Date(timeIntervalSince1970: 0))
        let cache = try DataKeyCache(limits: .init(maximumAge: .seconds(60), maximumMessages: 3, maximumBytes: 1000),
                                     now: { time.withLock { $0 } })
        func generated() async -> Int { await kms.calls.filter { $0.operation == .generateDataKey }.count }
        var sealed: [[UInt8]] = []
        for _ in 0..<3 { sealed.append(try await Envelope.seal(testBytes(10), keyID: "k", kms: kms, cache: cache)) }
        #expect(await generated() == 1)
        // Same data key, but every envelope has its own salt, so payload keys differ.
        let headers = try sealed.map(EnvelopeHeader.init(parsing:))
        #expect(Set(headers.map(\.wrappedKey)).count == 1 && Set(headers.map(\.salt)).count == 3)
        _ = try await Envelope.seal(testBytes(10), keyID: "k", kms: kms, cache: cache)   // 4th message: new key
        #expect(await generated() == 2)
        _ = try await Envelope.seal(testBytes(995), keyID: "k", kms: kms, cache: cache)  // 10 + 995 > 1000 bytes
        #expect(await generated() == 3)
        _ = try await Envelope.seal(testBytes(1), keyID: "k", kms: kms, cache: cache)
        #expect(await generated() == 3)
        time.withLock { $0 = Date(timeIntervalSince1970: 61) }                               // expired
        _ = try await Envelope.seal(testBytes(1), keyID: "k", kms: kms, cache: cache)
        #expect(await generated() == 4)
        // Another context is another entry.
        _ = try await Envelope.seal(testBytes(1), keyID: "k", context: ["x": "y"], kms: kms, cache: cache)
        #expect(await generated() == 5)

        // Reader side: one unwrap per wrapped key while fresh.
        for envelope in sealed { _ = try await Envelope.open(envelope, kms: kms, cache: cache) }
        #expect(await kms.calls.filter { $0.operation == .unwrap }.count == 1)
        #expect(throws: EnvelopeError.self) { _ = try DataKeyCache(limits: .init(maximumMessages: 0)) }
    }

    @Test("encryption contexts encode canonically, whatever the order, and parse strictly")
    func contexts() throws {
        let a: EncryptionContext = ["b": "2", "a": "1", "é": "x"]
        let b = try EncryptionContext(["é": "x", "a": "1", "b": "2"])
        #expect(try a.canonicalBytes == b.canonicalBytes)
        #expect(try a.canonicalBytes == [0, 3, 0, 1, 0x61, 0, 1, 0x31, 0, 1, 0x62, 0, 1, 0x32, 0, 2, 0xC3, 0xA9, 0, 1, 0x78])
        #expect(try EncryptionContext(canonicalBytes: a.canonicalBytes) == a)
        #expect(try EncryptionContext.empty.canonicalBytes == [0, 0])
        // Unsorted, duplicated, trailing bytes and empty keys are refused.
        #expect(throws: EnvelopeError.self) { _ = try EncryptionContext(canonicalBytes: [0, 2, 0, 1, 0x62, 0, 0, 0, 1, 0x61, 0, 0]) }
        #expect(throws: EnvelopeError.self) { _ = try EncryptionContext(canonicalBytes: [0, 2, 0, 1, 0x61, 0, 0, 0, 1, 0x61, 0, 0]) }
        #expect(throws: EnvelopeError.self) { _ = try EncryptionContext(canonicalBytes: [0, 0, 7]) }
        #expect(throws: EnvelopeError.self) { _ = try EncryptionContext(["": "v"]) }
        #expect(throws: EnvelopeError.self) { _ = try EncryptionContext(["k": String(repeating: "v", count: 70_000)]) }
    }

    @Test("wrapped keys name their KEK and reject relabelling")
    func wrappedKeys() async throws {
        let kms = await makeKMS()
        try await kms.rotateKey("k")
        let dataKey = try await kms.generateDataKey(keyID: "k", context: ["c": "d"])
        let parsed = try WrappedKey(bytes: dataKey.wrapped.bytes)
        #expect(parsed.reference == KeyReference(keyID: "k", version: 2) && parsed == dataKey.wrapped)
        // The same ciphertext framed as version 1 does not unwrap (the framing is associated data).
        let relabelled = try WrappedKey(reference: KeyReference(keyID: "k", version: 1), ciphertext: parsed.ciphertext)
        await expectEnvelopeError(.unwrapFailed) { _ = try await kms.unwrap(relabelled, context: ["c": "d"]) }
        await expectEnvelopeError(.malformedWrappedKey) { _ = try WrappedKey(bytes: Array(dataKey.wrapped.bytes.dropLast())) }
        #expect(try await kms.unwrap(dataKey.wrapped, context: ["c": "d"]) == dataKey.key)
    }
}
