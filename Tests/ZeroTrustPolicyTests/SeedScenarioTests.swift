import Foundation
import Testing
import ZeroTrustPolicy

/// The scenarios of issue 5 on the seed policy file (2026-11-24 is a Tuesday).
@Suite struct SeedScenarioTests {
    let pdp: PolicyDecisionPoint

    init() throws {
        pdp = try PolicyDecisionPoint(Fixtures.seedSet())
    }

    func scientist(ip: String = "10.1.2.3", time: String = "2026-11-24T10:00:00Z") throws -> AccessRequest {
        try request(roles: [.dataScientist], type: .dataset, attributes: ["sensitivity": "low"], action: .readData, ip: ip, time: time)
    }

    @Test("The example policy shipped in Examples/ is the seed file these scenarios run")
    func shippedExampleIsTheFixture() throws {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let shipped = try String(contentsOf: repository.appendingPathComponent("Examples/policy-example.yaml"), encoding: .utf8)
        #expect(shipped == (try Fixtures.text("policy-example.yaml")))
    }

    @Test func dataScientistTuesdayMorningFrom10IsAllowed() throws {
        let d = pdp.authorize(try scientist())
        #expect(d.authorized)
        #expect(d.policyID == "data_scientist_training")
        #expect(d.reason.code == .permitted)
        #expect(d.obligations.isEmpty)
        #expect(d.ttl == 3600)
        #expect(d.policyVersion == pdp.policyVersion)
        #expect(d.policyVersion.hasPrefix("fnv1a64:"))
    }

    @Test(arguments: [
        ("10.1.2.3", "2026-11-24T18:00:00Z"),    // after hours
        ("10.1.2.3", "2026-11-28T10:00:00Z"),    // Saturday
        ("192.168.1.5", "2026-11-24T10:00:00Z"), // wrong network
    ])
    func dataScientistOutsideConditionsIsDenied(ip: String, time: String) throws {
        let d = pdp.authorize(try scientist(ip: ip, time: time))
        #expect(!d.authorized)
        #expect(d.reason.code == .conditionsNotMet)
        #expect(d.reason.policyID == "data_scientist_training")
        #expect(d.policyID == nil)
        #expect(d.ttl == nil)
    }

    func mlops(approvals: [Approval], mfa: Bool?) throws -> AccessRequest {
        try request(roles: [.mlopsEngineer], approvals: approvals, type: .model, attributes: ["stage": "production"],
                    action: .deployModel, ip: "10.0.0.1", time: "2026-11-24T10:00:00Z", mfa: mfa)
    }

    @Test func mlopsWithoutApprovalIsDenied() throws {
        let d = pdp.authorize(try mlops(approvals: [], mfa: true))
        #expect(!d.authorized)
        #expect(d.reason.code == .noApplicablePolicy)
    }

    @Test func mlopsWithoutMFAIsDenied() throws {
        let d = pdp.authorize(try mlops(approvals: [.securityTeam], mfa: false))
        #expect(!d.authorized)
        #expect(d.reason.code == .conditionsNotMet)
        let missing = pdp.authorize(try mlops(approvals: [.securityTeam], mfa: nil))
        #expect(!missing.authorized)
        #expect(missing.reason.code == .conditionsNotMet)
    }

    @Test func mlopsWithApprovalAndMFAIsAllowedWithAudit() throws {
        let d = pdp.authorize(try mlops(approvals: [.securityTeam], mfa: true))
        #expect(d.authorized)
        #expect(d.policyID == "production_model_deployment")
        #expect(d.obligations == [.audit])
    }

    @Test(arguments: [Role.mlopsEngineer, Role.dataScientist, Role("auditor")])
    func quarantinedModelIsDeniedForEveryone(role: Role) throws {
        let r = try request(roles: [role], approvals: [.securityTeam], type: .model,
                            attributes: ["stage": "production", "quarantined": "true"], action: .deployModel,
                            ip: "10.0.0.1", time: "2026-11-24T10:00:00Z", mfa: true)
        let d = pdp.authorize(r)
        #expect(!d.authorized)
        #expect(d.reason.code == .explicitDeny)
        #expect(d.policyID == "block_quarantined_models")
        #expect(d.obligations.isEmpty)
    }
}
