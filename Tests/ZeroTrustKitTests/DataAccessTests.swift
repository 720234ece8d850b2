import Foundation
import Testing
import ZeroTrustKit
import ZeroTrustKitTesting

/// Envelope encryption through the gate: the KMS is used only after a grant, for the resource
/// granted, and every key use is audited.
@Suite struct DataAccessTests {
    let dataset: [UInt8] = Array("id,label\n1,fraud\n2,ok\n".utf8)
    /// Lets data scientists read and write datasets (the seed set grants no writes).
    static let readWritePolicy = """
        policies:
          - id: etl
            subjects: [{role: data_scientist}]
            resources: [{type: dataset}]
            actions: [read_data, write_data]
        """

    /// Writes need a policy that permits `write_data`; the seed policy only permits reads, so
    /// sealing goes through a gatekeeper whose data scientist may also write (see `writer`).
    @Test func sealIsRefusedWithoutWriteGrantAndTheKMSIsNotTouched() async throws {
        let world = try await World()
        let alice = try world.token("alice", roles: ["data_scientist"])
        let sealed = try await world.gatekeeper.sealData(dataset, keyID: "datasets", credential: .bearerToken(alice),
                                                         resource: lowDataset, context: .init(ip: IPAddress("10.1.2.3")))
        #expect(!sealed.outcome.granted)
        #expect(sealed.bytes == nil)
        #expect(await world.kms.calls.isEmpty)
    }

    @Test func withoutAKMSDataAccessIsAConfigurationErrorBeforeAnythingIsAuthorized() async throws {
        let world = try await World()
        let sink = InMemoryAuditSink()
        let gate = try Gatekeeper(.init(
            tokenVerifier: TokenVerifier(keyRing: world.userTokens.keyRing, options: .init(clock: world.clock.function)),
            policy: try PolicyDecisionPoint(PolicyLoader.load(yaml: Self.readWritePolicy)),
            auditDestinations: [AuditDestination(name: "memory", sink: sink, mode: .strict)],
            tokenIssuer: TokenIssuer(keyRing: world.grantKeys, clock: world.clock.function), clock: world.clock.function))
        let alice = try world.token("alice", roles: ["data_scientist"])
        let sealError = await #expect(throws: GatekeeperError.self) {
            _ = try await gate.sealData(dataset, keyID: "datasets", credential: .bearerToken(alice), resource: lowDataset)
        }
        #expect(sealError?.code == .invalidConfiguration)
        let openError = await #expect(throws: GatekeeperError.self) {
            _ = try await gate.openData([1, 2, 3], credential: .bearerToken(alice), resource: lowDataset)
        }
        #expect(openError?.code == .invalidConfiguration)
        try await gate.auditLog.flush()
        #expect(await sink.events.isEmpty, "nothing authorized, so nothing recorded")
    }

    @Test func sealedThroughTheGateAndReadBack() async throws {
        let world = try await World()
        let alice = try world.token("alice", roles: ["data_scientist"])
        // Seal directly with the context the gate uses: type, id and attributes (the seed policy grants no writes).
        let envelope = try await Envelope.seal(dataset, keyID: "datasets",
                                               context: ["resource_type": "dataset", "resource_id": "customers", "attr.sensitivity": "low"], kms: world.kms)
        let opened = try await world.gatekeeper.openData(envelope, credential: .bearerToken(alice), resource: lowDataset,
                                                         context: .init(ip: IPAddress("10.1.2.3")))
        #expect(opened.outcome.granted)
        #expect(opened.bytes == dataset)
        let events = try await world.events()
        #expect(events.count == 2)
        guard case .key(let key) = events[1].payload else { Issue.record("no key event"); return }
        #expect(key.operation == .unwrap && key.succeeded && key.subject == "alice")
        #expect(key.context["resource_id"] == "customers")
        #expect(key.keyID.hasPrefix("datasets#"))
    }

    @Test func deniedReadNeverReachesTheKMS() async throws {
        let world = try await World(at: "2026-11-28T10:00:00Z")
        let alice = try world.token("alice", roles: ["data_scientist"])
        let envelope = try await Envelope.seal(dataset, keyID: "datasets",
                                               context: ["resource_type": "dataset", "resource_id": "customers", "attr.sensitivity": "low"], kms: world.kms)
        let callsBefore = await world.kms.calls.count
        let opened = try await world.gatekeeper.openData(envelope, credential: .bearerToken(alice), resource: lowDataset,
                                                         context: .init(ip: IPAddress("10.1.2.3")))
        #expect(!opened.outcome.granted)
        #expect(opened.bytes == nil)
        #expect(await world.kms.calls.count == callsBefore)
    }

    @Test func anEnvelopeForAnotherResourceDoesNotOpenUnderThisGrant() async throws {
        let world = try await World()
        let alice = try world.token("alice", roles: ["data_scientist"])
        let envelope = try await Envelope.seal(dataset, keyID: "datasets",
                                               context: ["resource_type": "dataset", "resource_id": "payroll"], kms: world.kms)
        await #expect(throws: GatekeeperError.self) {
            try await world.gatekeeper.openData(envelope, credential: .bearerToken(alice), resource: lowDataset,
                                                context: .init(ip: IPAddress("10.1.2.3")))
        }
    }

    @Test func writerSealsAndReadsBackThroughTheGate() async throws {
        let world = try await World()
        let writer = try world.token("etl", roles: ["data_scientist"])
        let gate = try world.gatekeeper(policyYAML: Self.readWritePolicy)
        let sealed = try await gate.sealData(dataset, keyID: "datasets", credential: .bearerToken(writer), resource: lowDataset)
        #expect(sealed.outcome.granted)
        let envelope = try #require(sealed.bytes)
        #expect(envelope != dataset)
        let opened = try await gate.openData(envelope, credential: .bearerToken(writer), resource: lowDataset)
        #expect(opened.bytes == dataset)
        try await gate.auditLog.flush()
        let operations = await world.sink.events.compactMap { event -> KeyEvent.Operation? in
            if case .key(let key) = event.payload { return key.operation } else { return nil }
        }
        #expect(operations == [.generate, .unwrap])
    }

    /// A strict destination that takes access events but refuses key-use events.
    struct KeyEventsFail: AuditSink {
        struct Refused: Error {}
        func write(_ events: [AuditEvent]) async throws {
            if events.contains(where: { if case .key = $0.payload { true } else { false } }) { throw Refused() }
        }
    }

    @Test func dataIsWithheldWhenOnlyTheKeyUseRecordFails() async throws {
        let world = try await World()
        let writer = try world.token("etl", roles: ["data_scientist"])
        let gate = try world.gatekeeper(policyYAML: Self.readWritePolicy, auditDestinations: [AuditDestination(name: "strict", sink: KeyEventsFail(), mode: .strict)])
        // The access is granted and recorded; the key use cannot be, so neither result leaves the gate.
        do {
            let sealed = try await gate.sealData(dataset, keyID: "datasets", credential: .bearerToken(writer), resource: lowDataset)
            Issue.record("sealed despite the failed key-use record: \(sealed.bytes?.count ?? 0) bytes")
        } catch {
            #expect(error.code == .dataAccessFailed)
        }
        let envelope = try await Envelope.seal(dataset, keyID: "datasets",
                                               context: ["resource_type": "dataset", "resource_id": "customers", "attr.sensitivity": "low"], kms: world.kms)
        do {
            let opened = try await gate.openData(envelope, credential: .bearerToken(writer), resource: lowDataset)
            Issue.record("opened despite the failed key-use record: \(opened.bytes?.count ?? 0) bytes")
        } catch {
            #expect(error.code == .dataAccessFailed)
        }
    }

    @Test func plaintextIsWithheldWhenTheKeyUseCannotBeAudited() async throws {
        let world = try await World()
        let alice = try world.token("alice", roles: ["data_scientist"])
        let envelope = try await Envelope.seal(dataset, keyID: "datasets",
                                               context: ["resource_type": "dataset", "resource_id": "customers", "attr.sensitivity": "low"], kms: world.kms)
        await world.sink.setFailing(true)
        // With a failing strict sink even the access record fails, so the gate denies first.
        let opened = try await world.gatekeeper.openData(envelope, credential: .bearerToken(alice), resource: lowDataset,
                                                         context: .init(ip: IPAddress("10.1.2.3")))
        #expect(!opened.outcome.granted)
        #expect(opened.outcome.decision.reason.code == .auditUnavailable)
        #expect(opened.bytes == nil)
    }
}
