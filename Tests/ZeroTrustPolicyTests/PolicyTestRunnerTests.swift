import Testing
import ZeroTrustPolicy

@Suite struct PolicyTestRunnerTests {
    @Test func seedCasesPass() throws {
        let suite = try PolicyTestSuite.load(yaml: try Fixtures.text("seed-tests.yaml"))
        #expect(suite.cases.count == 5)
        let results = PolicyTestRunner.run(suite, against: try CompiledPolicySet(Fixtures.seedSet()))
        #expect(results.filter { !$0.passed }.isEmpty, "\(results.filter { !$0.passed }.map(\.mismatches))")
    }

    @Test func failuresListEveryMismatchWithTheExplanation() throws {
        let suite = try PolicyTestSuite.load(yaml: try Fixtures.text("failing-tests.yaml"))
        let results = PolicyTestRunner.run(suite, against: try CompiledPolicySet(Fixtures.seedSet()))
        #expect(results.map(\.passed) == [false, true])
        #expect(results[0].mismatches == [
            "authorized: expected true, got false",
            "policy_id: expected data_scientist_training, got null",
            "obligations: expected [\"audit\"], got []",
            "ttl: expected 3600, got null",
        ])
        #expect(results[0].decision.explanation?.description.contains("ip 192.168.1.5 not in 10.0.0.0/8") == true)
    }

    @Test func misspeltKeysAreRejectedWithTheirPosition() throws {
        let yaml = """
            cases:
              - name: typo
                request: {subject: {id: a, role: [x]}, resource: {type: t, attributes: {anything: goes}}, action: x}
                expect: {authorised: true}
            """
        do {
            _ = try PolicyTestSuite.load(yaml: yaml)
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .invalidTestFile)
            #expect(error.problems.map { "\($0.line ?? 0):\($0.column ?? 0)" } == ["3:32", "4:14"])
            #expect(error.problems.allSatisfy { $0.code == .unknownKey })
        }
    }

    @Test func malformedTestFilesAreErrors() {
        #expect { _ = try PolicyTestSuite.load(yaml: "cases:\n  - name: x\n") } throws: { ($0 as? PolicyError)?.code == .invalidTestFile }
        let badIP = """
            cases:
              - name: bad ip
                request: {subject: {id: a}, resource: {type: t}, action: x, context: {ip: 10.0.0.999}}
                expect: {authorized: false}
            """
        #expect { _ = try PolicyTestSuite.load(yaml: badIP) } throws: { ($0 as? PolicyError)?.code == .invalidRequest }
    }
}
