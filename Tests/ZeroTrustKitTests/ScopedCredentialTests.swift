import Foundation
import Testing
import ZeroTrustKit
import ZeroTrustKitTesting

/// Credentials and data that are scoped must stay scoped: an API key's scopes, a minted grant's
/// action and resource, and the attributes an envelope was sealed under.
@Suite struct ScopedCredentialTests {
    /// A key scoped to read_metrics must not read datasets.
    @Test func apiKeyScopesLimitTheActions() async throws {
        let world = try await World()
        let (key, record) = try await world.apiKeys.create(name: "metrics-reader", roles: ["data_scientist"], scopes: ["read_metrics"])
        #expect(record.scopes == ["read_metrics"])
        let outcome = await world.gatekeeper.authorize(credential: .apiKey(key), action: .readData, resource: lowDataset,
                                                       context: .init(ip: IPAddress("10.1.2.3")))
        #expect(!outcome.granted, "a key scoped to read_metrics was granted read_data")
    }

    /// Attributes are bound to the envelope: relabelling the resource at open time fails.
    @Test func relabelledAttributesDoNotOpenAnEnvelope() async throws {
        let world = try await World()
        let secret: [UInt8] = Array("ssn,salary\n".utf8)
        let highDataset = AccessRequest.Resource(type: .dataset, id: "customers", attributes: ["sensitivity": "high"])
        let writer = try world.token("etl", roles: ["etl"])
        let writerGate = try world.gatekeeper(policyYAML: """
            policies:
              - id: etl
                subjects: [{role: etl}]
                resources: [{type: dataset}]
                actions: [write_data]
            """)
        let sealed = try await writerGate.sealData(secret, keyID: "datasets", credential: .bearerToken(writer), resource: highDataset)
        let envelope = try #require(sealed.bytes)
        let alice = try world.token("alice", roles: ["data_scientist"])
        let honest = try await world.gatekeeper.openData(envelope, credential: .bearerToken(alice), resource: highDataset,
                                                         context: .init(ip: IPAddress("10.1.2.3")))
        #expect(!honest.outcome.granted)   // data scientists may not read high-sensitivity data
        // Claiming `sensitivity: low` passes the policy but not the envelope's bound context.
        await #expect(throws: GatekeeperError.self) {
            _ = try await world.gatekeeper.openData(envelope, credential: .bearerToken(alice), resource: lowDataset,
                                                    context: .init(ip: IPAddress("10.1.2.3")))
        }
    }

    /// A minted grant authenticates only for the action and resource it was minted for.
    @Test func aMintedGrantIsNotAGeneralLogin() async throws {
        let world = try await World()
        let alice = try world.token("alice", roles: ["data_scientist"])
        let outcome = await world.gatekeeper.authorize(credential: .bearerToken(alice), action: .readData, resource: lowDataset,
                                                       context: .init(ip: IPAddress("10.1.2.3")))
        let grant = try #require(outcome.token)
        let verified = try await TokenVerifier(keyRing: world.grantKeys, options: .init(clock: world.clock.function)).verify(grant)
        #expect(verified.claims.audience.isEmpty, "grant has no audience")
        let gate = try Gatekeeper(.init(
            tokenVerifier: TokenVerifier(keyRing: world.grantKeys, options: .init(clock: world.clock.function)),
            policy: try PolicyDecisionPoint(PolicyLoader.load(yaml: """
                policies:
                  - id: anyone
                    subjects: [{role: "*"}]
                    resources: [{type: model}]
                    actions: [deploy_model]
                """)),
            auditDestinations: [AuditDestination(name: "memory", sink: world.sink, mode: .strict)],
            tokenIssuer: TokenIssuer(keyRing: world.grantKeys, clock: world.clock.function), clock: world.clock.function))
        let reused = await gate.authorize(credential: .bearerToken(grant), action: .deployModel, resource: productionModel)
        #expect(!reused.granted, "read_data grant for dataset/customers re-used for deploy_model on model/fraud-v3")
    }
}
