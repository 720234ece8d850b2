import Foundation
import Testing
import ZeroTrustPolicy

/// Rule-by-rule checks of the semantics contract (Documentation/PolicyLanguage.md).
@Suite struct SemanticsTests {
    let tuesday = "2026-11-24T10:00:00Z"

    func policy(_ id: String = "p", effect: Effect = .permit, roles: [Role] = [.dataScientist], approvals: [Approval] = [],
                resources: [ResourceMatcher] = [ResourceMatcher(.dataset)], actions: [Action] = [.readData],
                conditions: [Condition] = [], ttl: Int? = nil) -> Policy {
        Policy(id: id, effect: effect, subjects: .init(roles: roles, approvals: approvals), resources: resources,
               actions: actions, conditions: conditions, ttl: ttl)
    }

    @Test func roleEntriesAreAlternatives() throws {
        let set = try single(policy(roles: [.dataScientist, .mlopsEngineer]))
        #expect(set.authorize(try request(roles: [.mlopsEngineer], type: .dataset, action: .readData)).authorized)
        #expect(set.authorize(try request(roles: [Role("x"), .dataScientist], type: .dataset, action: .readData)).authorized)
        #expect(!set.authorize(try request(roles: [Role("x")], type: .dataset, action: .readData)).authorized)
    }

    @Test func wildcardRoleMatchesAnySubjectEvenWithoutRoles() throws {
        let set = try single(policy(roles: [.any]))
        #expect(set.authorize(try request(roles: [], type: .dataset, action: .readData)).authorized)
    }

    @Test func policyWithoutRoleMatchesNoOne() throws {
        let set = try single(policy(roles: [], approvals: [.securityTeam]))
        let d = set.authorize(try request(roles: [.dataScientist], approvals: [.securityTeam], type: .dataset, action: .readData))
        #expect(!d.authorized)
        #expect(d.reason.code == .noApplicablePolicy)
    }

    @Test func approvalsAreAllRequired() throws {
        let set = try single(policy(approvals: [.securityTeam, Approval("legal")]))
        #expect(!set.authorize(try request(roles: [.dataScientist], approvals: [.securityTeam], type: .dataset, action: .readData)).authorized)
        #expect(set.authorize(try request(roles: [.dataScientist], approvals: [Approval("legal"), .securityTeam], type: .dataset, action: .readData)).authorized)
    }

    @Test func resourceEntriesAreAlternativesAndAttributesMustAllMatch() throws {
        let set = try single(policy(resources: [
            ResourceMatcher(.dataset, ["sensitivity": "low", "owner": "ml"]),
            ResourceMatcher(.model, ["stage": "dev"]),
        ], actions: [.readData]))
        #expect(set.authorize(try request(roles: [.dataScientist], type: .dataset, attributes: ["sensitivity": "low", "owner": "ml", "x": "y"], action: .readData)).authorized)
        #expect(!set.authorize(try request(roles: [.dataScientist], type: .dataset, attributes: ["sensitivity": "low"], action: .readData)).authorized)
        #expect(!set.authorize(try request(roles: [.dataScientist], type: .dataset, attributes: ["sensitivity": "LOW", "owner": "ml"], action: .readData)).authorized)
        #expect(set.authorize(try request(roles: [.dataScientist], type: .model, attributes: ["stage": "dev"], action: .readData)).authorized)
        // The model entry's attributes do not apply to datasets.
        #expect(!set.authorize(try request(roles: [.dataScientist], type: .dataset, attributes: ["stage": "dev"], action: .readData)).authorized)
    }

    @Test func wildcardResourceTypeStillChecksAttributes() throws {
        let set = try single(policy(resources: [ResourceMatcher(.any, ["env": "dev"])]))
        #expect(set.authorize(try request(roles: [.dataScientist], type: ResourceType("anything"), attributes: ["env": "dev"], action: .readData)).authorized)
        #expect(!set.authorize(try request(roles: [.dataScientist], type: .model, attributes: [:], action: .readData)).authorized)
    }

    @Test func actionsMustBeListedExactlyOrWildcard() throws {
        let exact = try single(policy(actions: [.readData]))
        #expect(!exact.authorize(try request(roles: [.dataScientist], type: .dataset, action: Action("read_data_all"))).authorized)
        #expect(!exact.authorize(try request(roles: [.dataScientist], type: .dataset, action: Action("READ_DATA"))).authorized)
        let wildcard = try single(policy(actions: [.any]))
        #expect(wildcard.authorize(try request(roles: [.dataScientist], type: .dataset, action: Action("whatever"))).authorized)
    }

    @Test func emptyAnyOfListsFailClosed() throws {
        #expect(!(try single(policy(resources: []))).authorize(try request(roles: [.dataScientist], type: .dataset, action: .readData)).authorized)
        #expect(!(try single(policy(actions: []))).authorize(try request(roles: [.dataScientist], type: .dataset, action: .readData)).authorized)
        #expect(!(try single(policy(roles: []))).authorize(try request(roles: [.dataScientist], type: .dataset, action: .readData)).authorized)
        let emptyIP = try single(policy(conditions: [.ipRange([])]))
        #expect(!emptyIP.authorize(try request(roles: [.dataScientist], type: .dataset, action: .readData, ip: "10.0.0.1")).authorized)
    }

    @Test func allConditionsMustHold() throws {
        let set = try single(policy(conditions: [try .ipRange("10.0.0.0/8"), .mfaRequired]))
        #expect(set.authorize(try request(roles: [.dataScientist], type: .dataset, action: .readData, ip: "10.0.0.1", mfa: true)).authorized)
        #expect(!set.authorize(try request(roles: [.dataScientist], type: .dataset, action: .readData, ip: "10.0.0.1", mfa: false)).authorized)
        #expect(!set.authorize(try request(roles: [.dataScientist], type: .dataset, action: .readData, ip: "11.0.0.1", mfa: true)).authorized)
    }

    @Test func ipRangeListIsAnyOf() throws {
        let set = try single(policy(conditions: [try .ipRange("10.0.0.0/8", "2001:db8::/32")]))
        #expect(set.authorize(try request(roles: [.dataScientist], type: .dataset, action: .readData, ip: "2001:db8::1")).authorized)
        #expect(set.authorize(try request(roles: [.dataScientist], type: .dataset, action: .readData, ip: "10.9.9.9")).authorized)
        #expect(!set.authorize(try request(roles: [.dataScientist], type: .dataset, action: .readData, ip: "2001:db9::1")).authorized)
    }

    @Test func missingContextInputMeansConditionDoesNotHold() throws {
        let ipSet = try single(policy(conditions: [try .ipRange("0.0.0.0/0", "::/0")]))
        let noIP = ipSet.authorize(try request(roles: [.dataScientist], type: .dataset, action: .readData))
        #expect(!noIP.authorized)
        #expect(noIP.reason.code == .conditionsNotMet)
        let timeSet = try single(policy(conditions: [.businessHours]))
        #expect(!timeSet.authorize(try request(roles: [.dataScientist], type: .dataset, action: .readData)).authorized)
        let mfaSet = try single(policy(conditions: [.mfaRequired]))
        #expect(!mfaSet.authorize(try request(roles: [.dataScientist], type: .dataset, action: .readData)).authorized)
    }

    @Test func mfaRequiredFalseAndAuditLoggedFalseAlwaysHoldWithoutObligation() throws {
        let set = try single(policy(conditions: [.mfaRequired(false), .auditLogged(false)]))
        let d = set.authorize(try request(roles: [.dataScientist], type: .dataset, action: .readData, mfa: false))
        #expect(d.authorized)
        #expect(d.obligations.isEmpty)
        let audited = try single(policy(conditions: [.auditLogged]))
        #expect(audited.authorize(try request(roles: [.dataScientist], type: .dataset, action: .readData)).obligations == [.audit])
    }

    @Test func denyOverridesPermitWhateverTheOrder() throws {
        let permit = policy("allow")
        let deny = policy("block", effect: .deny, roles: [.any], resources: [ResourceMatcher(.any)], actions: [.any])
        for order in [[permit, deny], [deny, permit]] {
            let d = try CompiledPolicySet(PolicySet(policies: order)).authorize(try request(roles: [.dataScientist], type: .dataset, action: .readData))
            #expect(!d.authorized)
            #expect(d.reason.code == .explicitDeny)
            #expect(d.policyID == "block")
        }
    }

    @Test func denyWhoseConditionsFailDoesNotDeny() throws {
        let set = try CompiledPolicySet(PolicySet(policies: [
            policy("block", effect: .deny, conditions: [try .ipRange("192.168.0.0/16")]),
            policy("allow"),
        ]))
        let d = set.authorize(try request(roles: [.dataScientist], type: .dataset, action: .readData, ip: "10.0.0.1"))
        #expect(d.authorized)
        #expect(d.policyID == "allow")
        let blocked = set.authorize(try request(roles: [.dataScientist], type: .dataset, action: .readData, ip: "192.168.3.4"))
        #expect(blocked.reason.code == .explicitDeny)
    }

    @Test func firstHoldingPermitInFileOrderDecidesWithItsTTL() throws {
        let set = try CompiledPolicySet(PolicySet(policies: [
            policy("needs_mfa", conditions: [.mfaRequired], ttl: 60),
            policy("wildcard_action", actions: [.any], ttl: 120),
            policy("plain", ttl: 300),
        ]))
        let noMFA = set.authorize(try request(roles: [.dataScientist], type: .dataset, action: .readData, mfa: false))
        #expect(noMFA.policyID == "wildcard_action")
        #expect(noMFA.ttl == 120)
        let withMFA = set.authorize(try request(roles: [.dataScientist], type: .dataset, action: .readData, mfa: true))
        #expect(withMFA.policyID == "needs_mfa")
        #expect(withMFA.ttl == 60)
    }

    @Test func ttlDefaultsAndIsCappedByTheEngineMaximum() throws {
        let set = PolicySet(defaults: PolicyDefaults(ttl: 900), policies: [policy("a"), policy("b", actions: [.writeData], ttl: 7200)])
        let compiled = try CompiledPolicySet(set, maximumTTL: 3000)
        #expect(compiled.authorize(try request(roles: [.dataScientist], type: .dataset, action: .readData)).ttl == 900)
        #expect(compiled.authorize(try request(roles: [.dataScientist], type: .dataset, action: .writeData)).ttl == 3000)
        #expect(try CompiledPolicySet(PolicySet(policies: [policy()])).authorize(try request(roles: [.dataScientist], type: .dataset, action: .readData)).ttl == 3600)
    }

    @Test func noApplicablePolicyVersusConditionsNotMet() throws {
        let set = try single(policy(conditions: [.mfaRequired]))
        let none = set.authorize(try request(roles: [.mlopsEngineer], type: .dataset, action: .readData, mfa: true))
        #expect(none.reason.code == .noApplicablePolicy)
        #expect(none.reason.message == "no policy applies to this subject, resource and action")
        let failed = set.authorize(try request(roles: [.dataScientist], type: .dataset, action: .readData, mfa: false))
        #expect(failed.reason.code == .conditionsNotMet)
        #expect(failed.reason.message.contains("'p'"))
        let empty = try CompiledPolicySet(PolicySet(policies: []))
        #expect(empty.authorize(try request(roles: [.dataScientist], type: .dataset, action: .readData)).reason.code == .noApplicablePolicy)
    }

    @Test func explanationSaysWhyForEveryConsideredPolicy() throws {
        let pdp = try PolicyDecisionPoint(Fixtures.seedSet())
        let r = try request(roles: [.dataScientist], type: .dataset, attributes: ["sensitivity": "low"], action: .readData,
                            ip: "192.168.1.5", time: tuesday)
        let plain = pdp.authorize(r)
        #expect(plain.explanation == nil)
        let d = pdp.authorize(r, explain: true)
        let explanation = try #require(d.explanation)
        #expect(explanation.steps.map(\.policyID) == ["data_scientist_training"])
        #expect(explanation.skippedByIndex == 2)
        #expect(explanation.steps[0].outcome == .conditionsFailed)
        #expect(explanation.steps[0].details.contains("ip 192.168.1.5 not in 10.0.0.0/8"))
        // The same decision with and without explanation.
        var withoutExplanation = d
        withoutExplanation.explanation = nil
        #expect(withoutExplanation == plain)

        let model = try request(roles: [.dataScientist], type: .model, attributes: ["quarantined": "false"], action: .deployModel)
        let steps = try #require(pdp.authorize(model, explain: true).explanation).steps
        #expect(steps.map(\.policyID) == ["production_model_deployment", "block_quarantined_models"])
        #expect(steps.allSatisfy { $0.outcome == .notApplicable })
        #expect(steps[1].details.joined().contains("attribute 'quarantined' is 'false', not 'true'"))
        #expect(steps[0].details.contains { $0.contains("include none of [mlops_engineer]") })
        #expect(steps[0].details.contains("approval 'security_team' missing"))
    }

    @Test func explanationNamesFailedTimeAndMissingInputs() throws {
        let pdp = try PolicyDecisionPoint(Fixtures.seedSet())
        let late = try request(roles: [.dataScientist], type: .dataset, attributes: ["sensitivity": "low"], action: .readData,
                               ip: "10.1.2.3", time: "2026-11-24T18:00:00Z")
        let details = try #require(pdp.authorize(late, explain: true).explanation?.steps.first?.details)
        #expect(details.contains("time 2026-11-24T18:00:00Z (tue 18:00 UTC) outside window business_hours (mon,tue,wed,thu,fri 09:00-17:00 UTC)"))
        let bare = try request(roles: [.mlopsEngineer], approvals: [.securityTeam], type: .model, attributes: ["stage": "production"], action: .deployModel)
        let steps = try #require(pdp.authorize(bare, explain: true).explanation?.steps)
        #expect(steps.first?.details.contains("mfa_required: context.mfa_verified is missing") == true)
    }

    @Test func wildcardRequestValuesAreNotWildcards() throws {
        let pdp = try PolicyDecisionPoint(Fixtures.seedSet())
        // A request for action "*" matches only policies that list "*", and is considered once.
        let r = try request(roles: [.dataScientist], type: .model, attributes: ["quarantined": "true"], action: .any)
        let d = pdp.authorize(r, explain: true)
        #expect(d.reason.code == .explicitDeny)
        #expect(d.explanation?.steps.map(\.policyID) == ["block_quarantined_models"])
        let read = try request(roles: [.dataScientist], type: .any, attributes: ["sensitivity": "low"], action: .readData)
        #expect(pdp.authorize(read).reason.code == .noApplicablePolicy)
    }

    @Test func policyErrorsCompareByCode() {
        #expect(PolicyError(code: .invalidCIDR, message: "a") == PolicyError(code: .invalidCIDR, message: "b", line: 3, column: 4))
        #expect(PolicyError(code: .invalidCIDR, message: "a") != PolicyError(code: .invalidTime, message: "a"))
    }

    @Test func decisiveStepIsMarked() throws {
        let pdp = try PolicyDecisionPoint(Fixtures.seedSet())
        let r = try request(roles: [.mlopsEngineer], approvals: [.securityTeam], type: .model,
                            attributes: ["stage": "production", "quarantined": "true"], action: .deployModel, mfa: true)
        let steps = try #require(pdp.authorize(r, explain: true).explanation).steps
        #expect(steps.first { $0.decisive }?.policyID == "block_quarantined_models")
        #expect(steps.filter(\.decisive).count == 1)
    }

    @Test func compileRejectsDuplicateIDsAndUnknownWindows() throws {
        #expect(throws: PolicyError.self) { try CompiledPolicySet(PolicySet(policies: [policy("a"), policy("a")])) }
        do {
            _ = try CompiledPolicySet(PolicySet(policies: [policy(conditions: [.timeWindow("night")])]))
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .unknownTimeWindow)
        }
    }
}
