import Foundation
import Testing
import ZeroTrustKit
import ZeroTrustKitTesting

/// Each credential kind, and authentication failures: denials with an audit event, seen by the
/// anomaly detectors, never a crash.
@Suite struct AuthenticationTests {
    @Test func clientCertificateRolesComeFromTheRoleMapping() async throws {
        let world = try await World()
        let alice = try world.certificate("alice", unit: "data-science")
        let outcome = await world.gatekeeper.authorize(
            credential: .clientCertificate([alice.certificate] + alice.intermediates), action: .readData,
            resource: lowDataset, context: .init(ip: IPAddress("10.1.2.3")))
        #expect(outcome.granted)
        #expect(outcome.subject == "alice")
        let bob = try world.certificate("bob", unit: "mlops")
        let denied = await world.gatekeeper.authorize(credential: .clientCertificate([bob.certificate]), action: .readData,
                                                      resource: lowDataset, context: .init(ip: IPAddress("10.1.2.3")))
        #expect(!denied.granted)
        #expect(denied.subject == "bob")
        #expect(denied.decision.reason.code == .noApplicablePolicy)
    }

    @Test func certificatesNeverCarryMFA() async throws {
        let world = try await World()
        let bob = try world.certificate("bob", unit: "mlops")
        let outcome = await world.gatekeeper.authorize(
            credential: .clientCertificate([bob.certificate]), action: .deployModel, resource: productionModel,
            context: .init(approvalTokens: [try world.approval(for: "bob")], attributes: ["mfa_verified": "true"]))
        #expect(!outcome.granted)
        #expect(outcome.decision.reason.code == .conditionsNotMet)
    }

    @Test func revokedCertificateIsDenied() async throws {
        let issuing = try await World()
        let alice = try issuing.certificate("alice", unit: "data-science")
        let world = try await World(revokedCertificates: [alice.certificate], shared: issuing)
        let outcome = await world.gatekeeper.authorize(credential: .clientCertificate([alice.certificate]), action: .readData,
                                                       resource: lowDataset, context: .init(ip: IPAddress("10.1.2.3")))
        #expect(!outcome.granted)
        #expect(outcome.decision.reason.code == .authenticationFailed)
        #expect(outcome.authenticationFailure == "revoked")
        let events = try await world.events()
        #expect(events.map(\.id) == [try #require(outcome.auditEventID)])
        guard case .authentication(let auth) = events[0].payload else { Issue.record("not an authentication event"); return }
        #expect(auth.method == .certificate && auth.outcome == .failure && auth.failureCode == "revoked")
        // Another certificate from the same CA still works under that CRL.
        let carol = try issuing.certificate("carol", unit: "data-science")
        #expect(await world.gatekeeper.authorize(credential: .clientCertificate([carol.certificate]), action: .readData,
                                                 resource: lowDataset, context: .init(ip: IPAddress("10.1.2.3"))).granted)
    }

    @Test func certificateFromAnotherCAIsDenied() async throws {
        let world = try await World()
        let other = try await World()
        let mallory = try other.certificate("mallory", unit: "data-science")
        let outcome = await world.gatekeeper.authorize(credential: .clientCertificate([mallory.certificate]), action: .readData,
                                                       resource: lowDataset, context: .init(ip: IPAddress("10.1.2.3")))
        #expect(!outcome.granted)
        #expect(outcome.decision.reason.code == .authenticationFailed)
        #expect(await world.gatekeeper.authorize(credential: .clientCertificate([]), action: .readData, resource: lowDataset)
            .authenticationFailure == "emptyChain")
    }

    @Test func expiredTokenIsDeniedAndAudited() async throws {
        let world = try await World()
        let token = try world.token("alice", roles: ["data_scientist"], lifetime: 60)
        world.clock.now = world.clock.now.addingTimeInterval(60 + 31)
        let outcome = await world.gatekeeper.authorize(credential: .bearerToken(token), action: .readData,
                                                       resource: lowDataset, context: .init(ip: IPAddress("10.1.2.3")))
        #expect(!outcome.granted)
        #expect(outcome.authenticationFailure == "expired")
        #expect(outcome.subject == nil)
        let events = try await world.events()
        guard case .authentication(let auth) = try #require(events.first).payload else { Issue.record("no event"); return }
        #expect(auth.subject == "alice" && auth.failureCode == "expired" && auth.method == .token)
        #expect(auth.credential != nil)
        #expect(auth.credential?.rawValue.contains(token) == false)
    }

    @Test func revokedTokenIsDenied() async throws {
        let world = try await World()
        let token = try world.token("alice", roles: ["data_scientist"])
        let verifier = TokenVerifier(keyRing: world.userTokens.keyRing, options: .init(clock: world.clock.function))
        let tokenID = try #require(try verifier.verifyWithoutRevocation(token).claims.tokenID)
        #expect(await world.gatekeeper.authorize(credential: .bearerToken(token), action: .readData, resource: lowDataset,
                                                 context: .init(ip: IPAddress("10.1.2.3"))).granted)
        try await world.revocations.revoke(tokenID, until: world.clock.now.addingTimeInterval(3600))
        let outcome = await world.gatekeeper.authorize(credential: .bearerToken(token), action: .readData, resource: lowDataset,
                                                       context: .init(ip: IPAddress("10.1.2.3")))
        #expect(!outcome.granted)
        #expect(outcome.authenticationFailure == "revoked")
    }

    @Test(arguments: ["", "garbage", "a.b.c", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhIn0."])
    func malformedTokensAreDeniedNotCrashes(token: String) async throws {
        let world = try await World()
        let outcome = await world.gatekeeper.authorize(credential: .bearerToken(token), action: .readData, resource: lowDataset)
        #expect(!outcome.granted)
        #expect(outcome.decision.reason.code == .authenticationFailed)
        #expect(outcome.auditEventID != nil)
    }

    @Test func apiKeyRolesComeFromTheRecord() async throws {
        let world = try await World()
        let (key, record) = try await world.apiKeys.create(name: "etl-job", roles: ["data_scientist"])
        let outcome = await world.gatekeeper.authorize(credential: .apiKey(key), action: .readData, resource: lowDataset,
                                                       context: .init(ip: IPAddress("10.4.4.4")))
        #expect(outcome.granted)
        #expect(outcome.subject == "etl-job")
        try await world.apiKeys.revoke(id: record.id)
        let revoked = await world.gatekeeper.authorize(credential: .apiKey(key), action: .readData, resource: lowDataset,
                                                       context: .init(ip: IPAddress("10.4.4.4")))
        #expect(!revoked.granted)
        #expect(revoked.authenticationFailure == "invalidAPIKey")
        #expect(await world.gatekeeper.authorize(credential: .apiKey("ztk_nope_secret"), action: .readData,
                                                 resource: lowDataset).authenticationFailure == "invalidAPIKey")
    }

    @Test func credentialStuffingBurstIsDetected() async throws {
        let world = try await World()
        for index in 0..<30 {
            let guess = try world.userTokens.issue(subject: "user\(index)", lifetime: 60)
            // A token signed by the right ring but tampered with: signature check fails.
            let tampered = String(guess.dropLast(2)) + (guess.hasSuffix("AA") ? "BB" : "AA")
            let outcome = await world.gatekeeper.authorize(credential: .bearerToken(tampered), action: .readData,
                                                           resource: lowDataset, context: .init(ip: IPAddress("203.0.113.7")))
            #expect(!outcome.granted)
        }
        try await world.gatekeeper.auditLog.flush()
        let alerts = await world.alerts.events.compactMap { event -> Alert? in
            if case .alert(let alert) = event.payload { return alert } else { return nil }
        }
        #expect(alerts.contains { $0.detector == "credential_stuffing" && $0.sourceIP == "203.0.113.7" })
    }
}
