import Foundation
import Testing
import ZeroTrustKit
import ZeroTrustKitTesting

/// A settable clock shared by every part of a test gatekeeper.
final class TestClock: @unchecked Sendable {
    // Tests set the time from one task; the lock makes reads from other tasks safe.
    private let lock = NSLock()
    private var current: Date
    init(_ start: Date) { current = start }
    var now: Date {
        get { lock.withLock { current } }
        set { lock.withLock { current = newValue } }
    }
    var function: @Sendable () -> Date { { [self] in self.now } }
}

func date(_ text: String) throws -> Date {
    try #require(ISO8601DateFormatter().date(from: text))
}

/// 2026-11-24 is a Tuesday.
let tuesdayMorning = "2026-11-24T10:00:00Z"

/// A gatekeeper over the seed policy with every credential kind enabled, and handles on its parts
/// so tests can mint credentials, revoke them and inspect the audit trail.
struct World {
    let clock: TestClock
    let gatekeeper: Gatekeeper
    let sink = InMemoryAuditSink()
    let alerts = InMemoryAuditSink()
    let userTokens: TokenIssuer
    let grantKeys: KeyRing
    let approver: TokenIssuer
    let impostor: TokenIssuer
    let revocations: InMemoryRevocationStore
    let apiKeys: APIKeyIssuer
    let ca: DevelopmentCA
    let kms: InMemoryKMS

    init(at time: String = tuesdayMorning, auditMode: DeliveryMode = .strict, revokedCertificates: [Certificate] = [],
         maximumTokenLifetime: Int = 900, shared: World? = nil) async throws {
        let clock = TestClock(try date(time))
        self.clock = clock
        let userRing = try KeyRing(signingKey: try SigningKey.generate(algorithm: .hs256, keyID: "users"))
        userTokens = TokenIssuer(keyRing: userRing, issuer: "https://idp.test", clock: clock.function)
        revocations = InMemoryRevocationStore(clock: clock.function)
        let verifier = TokenVerifier(keyRing: userRing, options: TokenValidationOptions(issuer: "https://idp.test", clock: clock.function),
                                     revocationStore: revocations)
        grantKeys = try KeyRing(signingKey: try SigningKey.generate(algorithm: .edDSA, keyID: "grants"))
        let approverKey = try SigningKey.generate(algorithm: .edDSA, keyID: "security-team")
        approver = TokenIssuer(keyRing: try KeyRing(signingKey: approverKey), clock: clock.function)
        impostor = TokenIssuer(keyRing: try KeyRing(signingKey: try SigningKey.generate(algorithm: .edDSA, keyID: "security-team")),
                               clock: clock.function)
        let approverRing = try KeyRing(verificationKeys: [approverKey.verificationKey])
        apiKeys = APIKeyIssuer(store: InMemoryAPIKeyStore(), clock: clock.function)
        ca = try shared?.ca ?? DevelopmentCA.create(name: "Test CA", now: clock.now.addingTimeInterval(-86_400))
        let crls = revokedCertificates.isEmpty ? [] : [try ca.revocationList(revoking: revokedCertificates, now: clock.now.addingTimeInterval(-60))]
        let mapping = RoleMapping(rules: [
            try .init(roles: ["data_scientist"], organizationalUnit: "data-science"),
            try .init(roles: ["mlops_engineer"], organizationalUnit: "mlops"),
        ])
        kms = InMemoryKMS(now: clock.function)
        await kms.createKey("datasets")
        let policyURL = try #require(Bundle.module.url(forResource: "Fixtures/policy-example", withExtension: "yaml"))
        let pdp = try PolicyDecisionPoint(try PolicyLoader.load(contentsOf: policyURL))
        gatekeeper = try Gatekeeper(.init(
            trustStore: try TrustStore(anchors: [ca.root]), certificatePolicy: VerificationPolicy(crls: crls),
            roleMapping: mapping, tokenVerifier: verifier, apiKeys: apiKeys, policy: pdp,
            auditDestinations: [AuditDestination(name: "memory", sink: sink, mode: auditMode)],
            anomalyMonitor: AnomalyMonitor(alertSink: alerts),
            redactor: AuditRedactor(key: SymmetricKey(size: .bits256)),
            approvals: ApprovalTokens(keyRings: [.securityTeam: approverRing], clock: clock.function),
            tokenIssuer: TokenIssuer(keyRing: grantKeys, issuer: "https://gatekeeper.test", clock: clock.function),
            kms: kms, maximumTokenLifetime: maximumTokenLifetime, clock: clock.function))
    }

    func token(_ subject: String, roles: [String], amr: [String] = [], lifetime: TimeInterval = 600) throws -> String {
        try userTokens.issue(subject: subject, lifetime: lifetime,
                             custom: ["roles": .array(roles.map { .string($0) }), "amr": .array(amr.map { .string($0) })])
    }

    func certificate(_ name: String, unit: String) throws -> IssuedCertificate {
        var request = DevelopmentCA.LeafRequest(commonName: name)
        request.organizationalUnits = [unit]
        return try ca.issue(request, now: clock.now.addingTimeInterval(-3600))
    }

    func approval(for subject: String, action: Action = .deployModel, resourceID: String = "fraud-v3",
                  by issuer: TokenIssuer? = nil) throws -> String {
        try ApprovalTokens.issue(using: issuer ?? approver, approval: .securityTeam, subject: subject, action: action,
                                 resourceID: resourceID)
    }

    /// A second gatekeeper over `policyYAML` that shares this world's user tokens, grant keys, KMS,
    /// clock and (unless `auditDestinations` says otherwise) strict audit sink: for tests that need
    /// a policy the seed set does not have, or other audit destinations.
    func gatekeeper(policyYAML: String, auditDestinations: [AuditDestination]? = nil) throws -> Gatekeeper {
        try Gatekeeper(.init(
            tokenVerifier: TokenVerifier(keyRing: userTokens.keyRing, options: .init(clock: clock.function)),
            policy: try PolicyDecisionPoint(PolicyLoader.load(yaml: policyYAML)),
            auditDestinations: auditDestinations ?? [AuditDestination(name: "memory", sink: sink, mode: .strict)],
            tokenIssuer: TokenIssuer(keyRing: grantKeys, clock: clock.function), kms: kms,
            clock: clock.function))
    }

    /// Every event the strict sink holds, after the log has drained.
    func events() async throws -> [AuditEvent] {
        try await gatekeeper.auditLog.flush()
        return await sink.events
    }
}

let lowDataset = AccessRequest.Resource(type: .dataset, id: "customers", attributes: ["sensitivity": "low"])
let productionModel = AccessRequest.Resource(type: .model, id: "fraud-v3", attributes: ["stage": "production"])
let quarantinedModel = AccessRequest.Resource(type: .model, id: "fraud-v2", attributes: ["stage": "production", "quarantined": "true"])
