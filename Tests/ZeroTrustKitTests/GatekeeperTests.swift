import Foundation
import Testing
import ZeroTrustKit
import ZeroTrustKitTesting

/// End to end through ``Gatekeeper``: every credential kind, every seed scenario of the example
/// policy, and the ways a request must fail closed.
@Suite struct GatekeeperTests {
    // MARK: Seed scenarios

    @Test func dataScientistTuesdayMorningFrom10IsAllowedWithAScopedToken() async throws {
        let world = try await World()
        let outcome = await world.gatekeeper.authorize(
            credential: .bearerToken(try world.token("alice", roles: ["data_scientist"])), action: .readData,
            resource: lowDataset, context: .init(ip: IPAddress("10.1.2.3")))
        #expect(outcome.granted)
        #expect(outcome.subject == "alice")
        #expect(outcome.decision.policyID == "data_scientist_training")
        // ttl = min(decision ttl 3600, configured maximum 900)
        #expect(outcome.decision.ttl == 900)
        let token = try #require(outcome.token)
        let verified = try await TokenVerifier(keyRing: world.grantKeys, options: .init(clock: world.clock.function)).verify(token)
        #expect(verified.claims.subject == "alice")
        #expect(verified.claims.custom["action"] == .string("read_data"))
        #expect(verified.claims.custom["resource_type"] == .string("dataset"))
        #expect(verified.claims.custom["resource_id"] == .string("customers"))
        #expect(verified.keyID == "grants")
        #expect(verified.claims.expiresAt == world.clock.now.addingTimeInterval(900))
        #expect(outcome.tokenExpiresAt == world.clock.now.addingTimeInterval(900))
        let events = try await world.events()
        #expect(events.map(\.id) == [try #require(outcome.auditEventID)])
        guard case .access(let access) = events[0].payload else { Issue.record("not an access event"); return }
        #expect(access.decision == .permit && access.subject == "alice" && access.action == "read_data")
    }

    @Test func aTokenScopedToOneActionAndResourceWorksOnlyForThem() async throws {
        let world = try await World()
        let scoped = try world.userTokens.issue(subject: "alice", lifetime: 600, custom: [
            "roles": .array([.string("data_scientist")]), "action": .string("read_data"),
            "resource_type": .string("dataset"), "resource_id": .string("customers")])
        let context = Gatekeeper.RequestContext(ip: IPAddress("10.1.2.3"))
        let inScope = await world.gatekeeper.authorize(credential: .bearerToken(scoped), action: .readData,
                                                       resource: lowDataset, context: context)
        #expect(inScope.granted)
        // The same token for another resource, or another action the role may take: refused as
        // an authentication failure, before the policy is asked.
        let otherDataset = AccessRequest.Resource(type: .dataset, id: "suppliers", attributes: ["sensitivity": "low"])
        let otherResource = await world.gatekeeper.authorize(credential: .bearerToken(scoped), action: .readData,
                                                             resource: otherDataset, context: context)
        let otherAction = await world.gatekeeper.authorize(credential: .bearerToken(scoped), action: .readMetrics,
                                                           resource: lowDataset, context: context)
        for outcome in [otherResource, otherAction] {
            #expect(!outcome.granted)
            #expect(outcome.authenticationFailure == "grantScopeMismatch")
        }
        // Without the scope claims, the role reaches both.
        let general = try world.token("alice", roles: ["data_scientist"])
        #expect(await world.gatekeeper.authorize(credential: .bearerToken(general), action: .readMetrics,
                                                 resource: lowDataset, context: context).granted)
    }

    @Test(arguments: [
        ["resource_id": JSONValue.string("customers")],  // one scope claim alone
        ["action": .array([.string("read_data")]), "resource_type": .string("dataset"), "resource_id": .string("customers")],
        ["action": .string("read_data"), "resource_type": .string("model"), "resource_id": .string("customers")],
    ])
    func aPartialMalformedOrMismatchedScopeIsRefused(scope: [String: JSONValue]) async throws {
        let world = try await World()
        let token = try world.userTokens.issue(subject: "alice", lifetime: 600,
                                               custom: scope.merging(["roles": .array([.string("data_scientist")])]) { $1 })
        let outcome = await world.gatekeeper.authorize(credential: .bearerToken(token), action: .readData,
                                                       resource: lowDataset, context: .init(ip: IPAddress("10.1.2.3")))
        #expect(!outcome.granted)
        #expect(outcome.authenticationFailure == "grantScopeMismatch")
    }

    @Test func tokenLifetimeIsTheDecisionTTLWhenShorterThanTheMaximum() async throws {
        let world = try await World(at: "2026-11-24T16:50:00Z", maximumTokenLifetime: 3600)
        let outcome = await world.gatekeeper.authorize(
            credential: .bearerToken(try world.token("alice", roles: ["data_scientist"])), action: .readData,
            resource: lowDataset, context: .init(ip: IPAddress("10.1.2.3")))
        #expect(outcome.granted)
        // The business-hours window closes at 17:00: the engine grants 600 s, less than 3600.
        #expect(outcome.decision.ttl == 600)
        #expect(outcome.tokenExpiresAt == world.clock.now.addingTimeInterval(600))
    }

    @Test func maximumTokenLifetimeAbove3600IsRefused() async throws {
        await #expect(throws: GatekeeperError.self) { try await World(maximumTokenLifetime: 3601) }
    }

    @Test(arguments: [
        ("10.1.2.3", "2026-11-24T18:00:00Z"),    // after hours
        ("10.1.2.3", "2026-11-28T10:00:00Z"),    // Saturday
        ("192.168.1.5", "2026-11-24T10:00:00Z"), // wrong network
    ])
    func dataScientistOutsideConditionsIsDenied(ip: String, time: String) async throws {
        let world = try await World(at: time)
        let outcome = await world.gatekeeper.authorize(
            credential: .bearerToken(try world.token("alice", roles: ["data_scientist"])), action: .readData,
            resource: lowDataset, context: .init(ip: IPAddress(ip), explain: true))
        #expect(!outcome.granted)
        #expect(outcome.decision.reason.code == .conditionsNotMet)
        #expect(outcome.token == nil)
        #expect(outcome.decision.explanation != nil)
        let events = try await world.events()
        #expect(events.map(\.id) == [try #require(outcome.auditEventID)])
    }

    @Test func mlopsEngineerWithMFAAndApprovalIsAllowedWithTheAuditObligation() async throws {
        let world = try await World()
        let outcome = await world.gatekeeper.authorize(
            credential: .bearerToken(try world.token("bob", roles: ["mlops_engineer"], amr: ["pwd", "hwk"])),
            action: .deployModel, resource: productionModel,
            context: .init(ip: IPAddress("10.9.9.9"), approvalTokens: [try world.approval(for: "bob")]))
        #expect(outcome.granted)
        #expect(outcome.decision.policyID == "production_model_deployment")
        #expect(outcome.decision.obligations.contains(.audit))
        #expect(outcome.token != nil)
        #expect(try await world.events().map(\.id) == [try #require(outcome.auditEventID)])
    }

    @Test func mlopsEngineerWithoutApprovalIsDenied() async throws {
        let world = try await World()
        let outcome = await world.gatekeeper.authorize(
            credential: .bearerToken(try world.token("bob", roles: ["mlops_engineer"], amr: ["otp"])),
            action: .deployModel, resource: productionModel)
        #expect(!outcome.granted)
        #expect(outcome.token == nil)
    }

    @Test(arguments: [[], ["pwd"], ["pwd", "sms"]])
    func mlopsEngineerWithoutMFAIsDenied(amr: [String]) async throws {
        let world = try await World()
        let outcome = await world.gatekeeper.authorize(
            credential: .bearerToken(try world.token("bob", roles: ["mlops_engineer"], amr: amr)),
            action: .deployModel, resource: productionModel, context: .init(approvalTokens: [try world.approval(for: "bob")]))
        #expect(!outcome.granted)
        #expect(outcome.decision.reason.code == .conditionsNotMet)
    }

    @Test func quarantinedModelIsDeniedForEveryone() async throws {
        let world = try await World()
        let credentials: [Credential] = [
            .bearerToken(try world.token("bob", roles: ["mlops_engineer"], amr: ["mfa"])),
            .bearerToken(try world.token("alice", roles: ["data_scientist"])),
        ]
        for credential in credentials {
            let outcome = await world.gatekeeper.authorize(
                credential: credential, action: .deployModel, resource: quarantinedModel,
                context: .init(ip: IPAddress("10.1.2.3"), approvalTokens: [try world.approval(for: "bob", resourceID: "fraud-v2")]))
            #expect(!outcome.granted)
            #expect(outcome.decision.reason.code == .explicitDeny)
            #expect(outcome.decision.policyID == "block_quarantined_models")
        }
    }

    // MARK: Approvals

    @Test func forgedApprovalIsIgnored() async throws {
        let world = try await World()
        let outcome = await world.gatekeeper.authorize(
            credential: .bearerToken(try world.token("bob", roles: ["mlops_engineer"], amr: ["mfa"])),
            action: .deployModel, resource: productionModel,
            context: .init(approvalTokens: [try world.approval(for: "bob", by: world.impostor)]))
        #expect(!outcome.granted)
        #expect(outcome.decision.reason.code == .noApplicablePolicy, "refused for lack of an approval, not for another reason")
    }

    @Test func approvalForAnotherResourceActionOrSubjectIsIgnored() async throws {
        let world = try await World()
        let bob = try world.token("bob", roles: ["mlops_engineer"], amr: ["mfa"])
        let wrong = [try world.approval(for: "bob", resourceID: "churn-v1"),
                     try world.approval(for: "bob", action: .monitorPerformance),
                     try world.approval(for: "mallory")]
        for approval in wrong {
            let outcome = await world.gatekeeper.authorize(credential: .bearerToken(bob), action: .deployModel,
                                                           resource: productionModel, context: .init(approvalTokens: [approval]))
            #expect(!outcome.granted)
            #expect(outcome.decision.reason.code == .noApplicablePolicy)
        }
    }

    @Test func anApprovalTokenIsNotABearerToken() async throws {
        let world = try await World()
        let outcome = await world.gatekeeper.authorize(credential: .bearerToken(try world.approval(for: "bob")),
                                                       action: .deployModel, resource: productionModel)
        #expect(!outcome.granted)
        #expect(outcome.decision.reason.code == .authenticationFailed)
        #expect(outcome.authenticationFailure == "wrongType")
    }

    @Test func expiredApprovalIsIgnored() async throws {
        let world = try await World()
        let approval = try world.approval(for: "bob")
        world.clock.now = world.clock.now.addingTimeInterval(301 + 30)
        let outcome = await world.gatekeeper.authorize(
            credential: .bearerToken(try world.token("bob", roles: ["mlops_engineer"], amr: ["mfa"])),
            action: .deployModel, resource: productionModel, context: .init(approvalTokens: [approval]))
        #expect(!outcome.granted)
    }

    @Test func longLivedApprovalIsIgnored() async throws {
        let world = try await World()
        let bob = try world.token("bob", roles: ["mlops_engineer"], amr: ["mfa"])
        let hourLong = try ApprovalTokens.issue(using: world.approver, approval: .securityTeam, subject: "bob",
                                                action: .deployModel, resourceID: "fraud-v3", lifetime: 3600)
        let outcome = await world.gatekeeper.authorize(credential: .bearerToken(bob), action: .deployModel,
                                                       resource: productionModel, context: .init(approvalTokens: [hourLong]))
        #expect(!outcome.granted)
        // The same approval with a short life is accepted.
        let shortLived = try ApprovalTokens.issue(using: world.approver, approval: .securityTeam, subject: "bob",
                                                  action: .deployModel, resourceID: "fraud-v3", lifetime: 900)
        #expect(await world.gatekeeper.authorize(credential: .bearerToken(bob), action: .deployModel, resource: productionModel,
                                                 context: .init(approvalTokens: [shortLived])).granted)
    }

    // MARK: Audit

    @Test func auditObligationWithAFailingStrictSinkIsDeniedAuditUnavailable() async throws {
        let world = try await World()
        await world.sink.setFailing(true)
        let outcome = await world.gatekeeper.authorize(
            credential: .bearerToken(try world.token("bob", roles: ["mlops_engineer"], amr: ["mfa"])),
            action: .deployModel, resource: productionModel, context: .init(approvalTokens: [try world.approval(for: "bob")]))
        #expect(!outcome.granted)
        #expect(outcome.decision.reason.code == .auditUnavailable)
        #expect(outcome.decision.reason.code.rawValue == "audit_unavailable")
        #expect(outcome.token == nil)
        #expect(outcome.auditEventID == nil)
    }

    @Test func aDenialForAFailedStrictRecordReachesTheOtherDestinations() async throws {
        let world = try await World()
        let strict = InMemoryAuditSink()
        await strict.setFailing(true)
        let siem = InMemoryAuditSink()
        let gatekeeper = try world.gatekeeper(policyYAML: """
            policies:
              - id: audited_reads
                subjects: [{role: data_scientist}]
                resources: [{type: dataset}]
                actions: [read_data]
                conditions: [{audit_logged: true}]
            """, auditDestinations: [AuditDestination(name: "strict", sink: strict, mode: .strict),
                                     AuditDestination(name: "siem", sink: siem, mode: .batch)])
        let outcome = await gatekeeper.authorize(credential: .bearerToken(try world.token("alice", roles: ["data_scientist"])),
                                                 action: .readData, resource: lowDataset)
        #expect(!outcome.granted)
        #expect(outcome.decision.reason.code == .auditUnavailable)
        try? await gatekeeper.auditLog.flush()
        // The batch destination got the permit as decided, then the denial the caller got.
        let decisions = await siem.events.compactMap { event -> (AccessEvent.Decision, String?)? in
            if case .access(let access) = event.payload { return (access.decision, access.reason) } else { return nil }
        }
        #expect(decisions.map(\.0) == [.permit, .deny])
        #expect(decisions.last?.1 == "audit_unavailable")
        // A request the policy denies is recorded once, with the policy's reason.
        let refused = await gatekeeper.authorize(credential: .bearerToken(try world.token("alice", roles: ["data_scientist"])),
                                                 action: .deployModel, resource: productionModel)
        #expect(!refused.granted)
        try? await gatekeeper.auditLog.flush()
        let after = await siem.events.compactMap { event -> String? in
            if case .access(let access) = event.payload { return access.reason } else { return nil }
        }
        #expect(after.dropFirst(2) == ["no_applicable_policy"])
    }

    @Test func auditObligationWithoutAStrictSinkIsDeniedAuditUnavailable() async throws {
        let world = try await World(auditMode: .batch)
        let outcome = await world.gatekeeper.authorize(
            credential: .bearerToken(try world.token("bob", roles: ["mlops_engineer"], amr: ["mfa"])),
            action: .deployModel, resource: productionModel, context: .init(approvalTokens: [try world.approval(for: "bob")]))
        #expect(!outcome.granted)
        #expect(outcome.decision.reason.code == .auditUnavailable)
        #expect(outcome.token == nil)
        // The best-effort record says what the caller was told.
        let events = try await world.events()
        guard case .access(let access) = try #require(events.first).payload else { Issue.record("no access event"); return }
        #expect(access.decision == .deny && access.reason == "audit_unavailable")
        #expect(access.policyID == "production_model_deployment")
    }

    @Test func aGatekeeperWithoutAuditDestinationsIsRefused() async throws {
        let world = try await World()
        let error = #expect(throws: GatekeeperError.self) {
            _ = try Gatekeeper(.init(
                tokenVerifier: TokenVerifier(keyRing: world.userTokens.keyRing, options: .init(clock: world.clock.function)),
                policy: world.gatekeeper.policy, auditDestinations: [],
                tokenIssuer: TokenIssuer(keyRing: world.grantKeys, clock: world.clock.function), clock: world.clock.function))
        }
        #expect(error?.code == .invalidConfiguration)
        #expect(error?.message.contains("audit") == true)
    }

    @Test func aPermitWithoutASigningKeyIsDeniedGrantUnavailable() async throws {
        let world = try await World()
        let verifyOnly = try KeyRing(verificationKeys: [try #require(world.grantKeys.signingKey).verificationKey])
        let sink = InMemoryAuditSink()
        let gate = try Gatekeeper(.init(
            tokenVerifier: TokenVerifier(keyRing: world.userTokens.keyRing, options: .init(clock: world.clock.function)),
            policy: world.gatekeeper.policy,
            auditDestinations: [AuditDestination(name: "memory", sink: sink, mode: .strict)],
            tokenIssuer: TokenIssuer(keyRing: verifyOnly, clock: world.clock.function), clock: world.clock.function))
        let outcome = await gate.authorize(credential: .bearerToken(try world.token("alice", roles: ["data_scientist"])),
                                           action: .readData, resource: lowDataset, context: .init(ip: IPAddress("10.1.2.3")))
        #expect(!outcome.granted)
        #expect(outcome.decision.reason.code == .grantUnavailable)
        #expect(outcome.decision.policyID == "data_scientist_training")
        #expect(outcome.token == nil)
        guard case .access(let access) = try #require(await sink.events.first).payload else { Issue.record("no event"); return }
        #expect(access.decision == .deny && access.reason == "grant_unavailable")
    }

    @Test func tenThousandConcurrentAuthorizationsAreEachAuditedExactlyOnce() async throws {
        let world = try await World()
        let token = try world.token("alice", roles: ["data_scientist"])
        let gatekeeper = world.gatekeeper
        let ids = await withTaskGroup(of: UUID?.self) { group in
            for index in 0..<10_000 {
                group.addTask {
                    let outcome = await gatekeeper.authorize(
                        credential: .bearerToken(token), action: .readData, resource: lowDataset,
                        context: .init(ip: IPAddress(index.isMultiple(of: 2) ? "10.0.0.1" : "192.168.0.1")))
                    return outcome.granted == index.isMultiple(of: 2) ? outcome.auditEventID : nil
                }
            }
            var ids: [UUID] = []
            for await id in group { if let id { ids.append(id) } }
            return ids
        }
        #expect(ids.count == 10_000)
        #expect(Set(ids).count == 10_000)
        let events = try await world.events()
        #expect(events.count == 10_000)
        #expect(Set(events.map(\.id)) == Set(ids))
        #expect(Set(events.map(\.sequence)).count == 10_000)
    }
}
