import Testing
import ZeroTrustPolicy

@Suite struct LintTests {
    func lint(_ yaml: String) throws -> [LintFinding] {
        PolicyLinter().lint(try PolicyLoader.load(yaml: yaml))
    }

    @Test func seedSetIsClean() throws {
        #expect(PolicyLinter().lint(try Fixtures.seedSet()).isEmpty)
    }

    @Test func lintFixtureFindsEveryKind() throws {
        let findings = try lint(try Fixtures.text("lint-policies.yaml"))
        let summary = findings.map { "\($0.severity.rawValue) \($0.code.rawValue) \($0.policyIDs.joined(separator: ","))" }
        #expect(summary == [
            "warning unconditioned_production broad_read",
            "warning duplicate_permit copy_of_broad,broad_read",
            "warning unconditioned_production copy_of_broad",
            "warning shadowed_permit narrow_read,broad_read",
            "error overridden_by_deny doomed,block_dev",
            "error unsatisfiable disjoint_ranges",
            "error unsatisfiable empty_window",
            "error unsatisfiable no_role",
            "warning wildcard_sensitive_grant anyone_deploys",
            "warning wildcard_sensitive_grant all_actions",
        ])
    }

    @Test func conditionsMakeAPermitNotShadowedByAnUnconditionedLaterOne() throws {
        let yaml = """
            policies:
              - id: strict
                subjects: [{role: r}]
                resources: [{type: t}]
                actions: [a]
                conditions: [{mfa_required: true}]
              - id: loose
                subjects: [{role: r}]
                resources: [{type: t}]
                actions: [a]
            """
        // 'loose' applies whenever 'strict' does, but 'strict' does not cover 'loose' (it needs MFA).
        #expect(try lint(yaml).isEmpty)
    }

    @Test func denyWithExtraConditionsDoesNotFullyOverride() throws {
        let yaml = """
            policies:
              - id: allow
                subjects: [{role: r}]
                resources: [{type: t}]
                actions: [a]
                conditions: [{ip_range: 10.0.0.0/8}]
              - id: block
                effect: deny
                subjects: [{role: "*"}]
                resources: [{type: t}]
                actions: ["*"]
                conditions: [{mfa_required: true}]
            """
        #expect(try lint(yaml).isEmpty)
    }

    @Test func overlappingRangesAreSatisfiable() throws {
        let yaml = """
            policies:
              - id: ok
                subjects: [{role: r}]
                resources: [{type: t}]
                actions: [a]
                conditions: [{ip_range: 10.0.0.0/8}, {ip_range: [192.168.0.0/16, 10.1.0.0/16]}]
            """
        #expect(try lint(yaml).isEmpty)
    }
}
