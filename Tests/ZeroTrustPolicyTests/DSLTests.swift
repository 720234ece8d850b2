import Testing
import ZeroTrustPolicy

/// The seed policy set, in a few lines of typed Swift.
func seedSetFromDSL() throws -> PolicySet {
    try PolicySet {
        TimeWindow.businessHours
        try Policy.permit("data_scientist_training") {
            Role.dataScientist
            ResourceMatcher(.dataset, ["sensitivity": "low"])
            ResourceMatcher(.trainingCluster, ["environment": "dev"])
            [Action.readData, .submitTrainingJob, .readMetrics]
            try Condition.ipRange("10.0.0.0/8")
            Condition.businessHours
        }
        Policy.permit("production_model_deployment") {
            Role.mlopsEngineer
            Approval.securityTeam
            ResourceMatcher(.model, ["stage": "production"])
            ResourceMatcher(.deploymentPlatform, ["environment": "prod"])
            [Action.deployModel, .monitorPerformance]
            Condition.mfaRequired
            Condition.auditLogged
        }
        Policy.deny("block_quarantined_models") {
            Role.any
            ResourceMatcher(.model, ["quarantined": "true"])
            Action.any
        }
    }
}

@Suite struct DSLTests {
    @Test func dslBuildsTheSameSeedSetAsTheYAML() throws {
        let dsl = try seedSetFromDSL()
        let yaml = try Fixtures.seedSet()
        #expect(dsl == yaml)
        #expect(dsl.contentHash == yaml.contentHash)
    }

    @Test func controlFlowWorks() throws {
        let includeDeny = false
        let set = PolicySet {
            for team in ["a", "b"] {
                Policy.permit("team_\(team)", ttl: 60) {
                    Role("team_\(team)")
                    if team == "a" { Action.readData } else { Action.writeData }
                    ResourceMatcher(.dataset)
                }
            }
            if includeDeny {
                Policy.deny("never") { Role.any; ResourceMatcher(.any); Action.any }
            }
        }
        #expect(set.policies.map(\.id) == ["team_a", "team_b"])
        #expect(set.policies[0].actions == [.readData])
        #expect(set.policies[1].actions == [.writeData])
        #expect(set.policies[1].ttl == 60)
    }

    @Test func emptyAnyOfFailsClosed() throws {
        let noRoles = PolicySet { Policy.permit("p") { ResourceMatcher(.dataset); Action.readData } }
        let noResources = PolicySet { Policy.permit("p") { Role.any; Action.readData } }
        let noActions = PolicySet { Policy.permit("p") { Role.any; ResourceMatcher(.any) } }
        let emptyRoleList = PolicySet { Policy.permit("p") { [Role](); ResourceMatcher(.any); Action.any } }
        let r = try request(roles: [.dataScientist], type: .dataset, action: .readData)
        for set in [noRoles, noResources, noActions, emptyRoleList] {
            let d = try CompiledPolicySet(set).authorize(r)
            #expect(!d.authorized)
            #expect(d.reason.code == .noApplicablePolicy)
        }
    }

    @Test func invalidCIDRInTheDSLThrows() {
        #expect(throws: PolicyError.self) {
            _ = try PolicySet { try Policy.permit("p") { try Condition.ipRange("10.0.0.0/99") } }
        }
    }
}
