import Foundation
import ZeroTrustKit

/// The demo's scenes, in order. Each step checks what it narrates.
struct DemoRun {
    let directory: String
    let transcript: DemoTranscript
    // Tuesday 2026-11-24 10:00 UTC.
    let tuesday = Date(timeIntervalSince1970: 1_795_514_400)

    func path(_ name: String) -> String { directory + "/" + name }

    func run() async throws {
        let clock = DemoClock(tuesday)
        transcript.act("Workspace in \(directory)")
        let ca = try DevelopmentCA.create(name: "ZeroTrustKit Demo", now: tuesday.addingTimeInterval(-86_400))
        try ca.write(to: path("ca"))
        func person(_ name: String, unit: String) throws -> IssuedCertificate {
            var request = DevelopmentCA.LeafRequest(commonName: name)
            request.organizationalUnits = [unit]
            let issued = try ca.issue(request, now: tuesday.addingTimeInterval(-3600))
            try issued.write(certificateTo: path("\(name).pem"), privateKeyTo: path("\(name)-key.pem"))
            return issued
        }
        let alice = try person("alice", unit: "data-science")
        _ = try person("bob", unit: "mlops")
        _ = try person("sam", unit: "security")
        transcript.note("development CA, client certificates: alice (data scientist), bob (ML engineer), sam (security approver)")

        let userKeys = try KeyRing(signingKey: try SigningKey.generate(algorithm: .hs256, keyID: "idp"))
        let identityProvider = TokenIssuer(keyRing: userKeys, issuer: "https://idp.demo", clock: clock.function)
        let samKey = try SigningKey.generate(algorithm: .edDSA, keyID: "sam")
        let sam = TokenIssuer(keyRing: try KeyRing(signingKey: samKey), clock: clock.function)
        let grantKeys = try KeyRing(signingKey: try SigningKey.generate(algorithm: .edDSA, keyID: "gatekeeper-1"))
        try DemoPolicy.yaml.write(toFile: path("policies.yaml"), atomically: true, encoding: .utf8)
        let kms = try LocalKMS.create(directory: path("kms"), masterKey: .key(SymmetricKey(size: .bits256)), now: clock.function)
        _ = try await kms.createKey("datasets")
        let auditKey = try Ed25519.PrivateKey()
        let auditSink = try AuditFileSink(path: path("audit.log"),
                                          configuration: ChainedLogConfiguration(signingKey: auditKey, checkpointEvery: 10, clock: clock.function))
        let alerts = DemoAlerts()
        transcript.note("token keys (idp HS256, approver and gatekeeper EdDSA), the example policy, a local KMS, a signed audit log")

        let gatekeeper = try Gatekeeper(.init(
            trustStore: try TrustStore(anchors: [ca.root]),
            roleMapping: RoleMapping(rules: [try .init(roles: ["data_scientist"], organizationalUnit: "data-science"),
                                             try .init(roles: ["mlops_engineer"], organizationalUnit: "mlops")]),
            tokenVerifier: TokenVerifier(keyRing: userKeys, options: .init(issuer: "https://idp.demo", clock: clock.function)),
            policy: try PolicyDecisionPoint(try PolicyLoader.load(yaml: DemoPolicy.yaml)),
            auditDestinations: [AuditDestination(name: "audit.log", sink: auditSink, mode: .strict)],
            anomalyMonitor: AnomalyMonitor(alertSink: alerts),
            redactor: AuditRedactor(key: SymmetricKey(size: .bits256)),
            approvals: ApprovalTokens(keyRings: [.securityTeam: try KeyRing(verificationKeys: [samKey.verificationKey])],
                                      clock: clock.function),
            tokenIssuer: TokenIssuer(keyRing: grantKeys, issuer: "https://gatekeeper.demo", clock: clock.function),
            kms: kms, maximumTokenLifetime: 900, clock: clock.function))

        let aliceCert = Credential.clientCertificate([alice.certificate])
        let dataset = AccessRequest.Resource(type: .dataset, id: "customers-2026", attributes: ["sensitivity": "low"])

        transcript.act("A data scientist reads a low-sensitivity dataset (mTLS certificate)")
        let scenes: [(String, String, String, Decision.Reason.Code)] = [
            ("Tuesday 10:00 from 10.1.2.3", "10.1.2.3", "2026-11-24T10:00:00Z", .permitted),
            ("Tuesday 18:00 from 10.1.2.3", "10.1.2.3", "2026-11-24T18:00:00Z", .conditionsNotMet),
            ("Saturday 10:00 from 10.1.2.3", "10.1.2.3", "2026-11-28T10:00:00Z", .conditionsNotMet),
            ("Tuesday 10:00 from 192.168.1.5", "192.168.1.5", "2026-11-24T10:00:00Z", .conditionsNotMet),
        ]
        for (label, ip, time, expected) in scenes {
            let at = try Date(time, strategy: .iso8601)
            clock.now = at
            let outcome = await gatekeeper.authorize(credential: aliceCert, action: .readData, resource: dataset,
                                                     context: .init(ip: IPAddress(ip)))
            report(outcome, expected: expected, "alice read_data dataset/customers-2026 — \(label)")
        }

        transcript.act("An ML engineer deploys a production model (bearer token)")
        clock.now = tuesday
        let model = AccessRequest.Resource(type: .model, id: "fraud-v3", attributes: ["stage": "production"])
        func bob(_ amr: [String]) throws -> Credential {
            .bearerToken(try identityProvider.issue(subject: "bob", lifetime: 600,
                                                    custom: ["roles": .array([.string("mlops_engineer")]),
                                                             "amr": .array(amr.map { .string($0) })]))
        }
        let approval = try ApprovalTokens.issue(using: sam, approval: .securityTeam, subject: "bob", action: .deployModel,
                                                resourceID: "fraud-v3")
        report(await gatekeeper.authorize(credential: try bob(["pwd", "otp"]), action: .deployModel, resource: model),
               expected: .noApplicablePolicy, "bob deploy_model fraud-v3 with MFA, no approval")
        report(await gatekeeper.authorize(credential: try bob(["pwd"]), action: .deployModel, resource: model,
                                          context: .init(approvalTokens: [approval])),
               expected: .conditionsNotMet, "bob deploy_model fraud-v3 with sam's approval, no MFA")
        let forged = try ApprovalTokens.issue(
            using: TokenIssuer(keyRing: try KeyRing(signingKey: try SigningKey.generate(algorithm: .edDSA, keyID: "sam")), clock: clock.function),
            approval: .securityTeam, subject: "bob", action: .deployModel, resourceID: "fraud-v3")
        report(await gatekeeper.authorize(credential: try bob(["pwd", "otp"]), action: .deployModel, resource: model,
                                          context: .init(approvalTokens: [forged])),
               expected: .noApplicablePolicy, "bob deploy_model fraud-v3 with MFA and a forged approval")
        let deployed = await gatekeeper.authorize(credential: try bob(["pwd", "otp"]), action: .deployModel, resource: model,
                                                  context: .init(approvalTokens: [approval]))
        report(deployed, expected: .permitted, "bob deploy_model fraud-v3 with MFA and sam's approval")
        transcript.step(deployed.decision.obligations.contains(.audit) && deployed.auditEventID != nil,
                        "the grant carries the audit obligation, recorded durably first",
                        detail: "event \(deployed.auditEventID?.uuidString.prefix(8) ?? "none")")
        let quarantined = AccessRequest.Resource(type: .model, id: "fraud-v2", attributes: ["stage": "production", "quarantined": "true"])
        let approvalV2 = try ApprovalTokens.issue(using: sam, approval: .securityTeam, subject: "bob", action: .deployModel,
                                                  resourceID: "fraud-v2")
        report(await gatekeeper.authorize(credential: try bob(["otp"]), action: .deployModel, resource: quarantined,
                                          context: .init(approvalTokens: [approvalV2])),
               expected: .explicitDeny, "bob deploy_model fraud-v2 (quarantined) with MFA and approval")

        transcript.act("A dataset encrypted and read back through the gate")
        let rows = Array("customer,balance\n1,100\n2,250\n".utf8)
        let office = RequestContextBuilder.office
        let sealed = try await gatekeeper.sealData(rows, keyID: "datasets", credential: aliceCert, resource: dataset, context: office)
        let envelope = sealed.bytes ?? []
        transcript.step(sealed.outcome.granted && !envelope.isEmpty && envelope != rows,
                        "alice write_data: sealed \(rows.count) bytes into a \(envelope.count)-byte envelope (data key from the KMS)")
        try Data(envelope).write(to: URL(fileURLWithPath: path("customers-2026.ztev")))
        let opened = try await gatekeeper.openData(envelope, credential: aliceCert, resource: dataset, context: office)
        transcript.step(opened.bytes == rows, "alice read_data: the envelope opens to the original rows")
        clock.now = try Date("2026-11-28T10:00:00Z", strategy: .iso8601)
        let weekend = try await gatekeeper.openData(envelope, credential: aliceCert, resource: dataset, context: office)
        transcript.step(weekend.bytes == nil && !weekend.outcome.granted,
                        "on Saturday the gate refuses before the KMS is asked", detail: weekend.outcome.decision.reason.code.rawValue)
        clock.now = tuesday

        transcript.act("A credential-stuffing burst")
        for index in 0..<30 {
            let guess = try identityProvider.issue(subject: "user\(index)", lifetime: 60)
            let stuffed = String(guess.dropLast(4)) + "AAAA"
            _ = await gatekeeper.authorize(credential: .bearerToken(stuffed), action: .readData, resource: dataset,
                                           context: .init(ip: IPAddress("203.0.113.7")))
        }
        try await gatekeeper.auditLog.flush()
        let stuffing = await alerts.alerts.first { $0.detector == "credential_stuffing" }
        transcript.step(stuffing != nil, "30 failed token logins for 30 users from 203.0.113.7 raised an alert",
                        detail: stuffing?.summary)

        transcript.act("The audit log: verified, then tampered with")
        try await gatekeeper.auditLog.close()
        let verifier = AuditLogVerifier(publicKey: auditKey.publicKey)
        let intact = try verifier.verify(logAt: path("audit.log"))
        transcript.step(intact.records > 40, "audit.log verifies: \(intact.records) records, \(intact.checkpoints) signed checkpoints")
        var log = try Array(Data(contentsOf: URL(fileURLWithPath: path("audit.log"))))
        if let range = log.firstRange(of: Array("\"deny\"".utf8)) {
            log.replaceSubrange(range, with: Array("\"permit\"".utf8))
        }
        try Data(log).write(to: URL(fileURLWithPath: path("audit.log")))
        do {
            _ = try verifier.verify(logAt: path("audit.log"))
            transcript.step(false, "a denial rewritten as a permit went unnoticed")
        } catch let error as AuditError {
            transcript.step(true, "a denial rewritten as a permit is caught",
                            detail: "\(error.code) at record \(error.record.map(String.init) ?? "?")")
        }
    }

    /// Narrates one request; the step behaves as narrated only when the decision was made for the
    /// expected reason (a denial for the wrong reason is a failure too), and a permit got a token.
    private func report(_ outcome: AccessOutcome, expected: Decision.Reason.Code, _ text: String) {
        let reason = outcome.decision.reason
        let line = outcome.granted
            ? transcript.allowed(text) : transcript.denied(text)
        let detail = outcome.granted
            ? "\(reason.message); token for \(outcome.decision.ttl ?? 0) s"
            : reason.message
        let asExpected = reason.code == expected && outcome.granted == (expected == .permitted)
            && (outcome.token != nil) == outcome.granted
        transcript.step(asExpected, line, detail: asExpected ? detail : "\(detail) — expected \(expected.rawValue)")
    }
}

/// The context of requests from the office network.
enum RequestContextBuilder {
    static let office = Gatekeeper.RequestContext(ip: IPAddress("10.1.2.3"))
}
