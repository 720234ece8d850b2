import ArgumentParser
import ZeroTrustPolicy

/// `zt policy test POLICY TESTS`.
struct PolicyTestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run named decision test cases against a policy file.",
        discussion: """
            TESTS is a YAML file with 'cases:', each with a 'name', a 'request' (the JSON request \
            form in YAML) and 'expect' (any of authorized, policy_id, reason, obligations, ttl). \
            Prints 'PASS name' or 'FAIL name' with each mismatch and the decision's explanation, \
            then 'N passed, M failed'. Exits 0 when all pass, 1 when any fails, 2 when a file is \
            unreadable or invalid.

            Example:
              zt policy test policies.yaml policies.tests.yaml
            """
    )

    @Argument(help: "The policy YAML file.")
    var policy: String

    @Argument(help: "The test cases YAML file.")
    var tests: String

    func run() throws {
        let compiled = try PolicyCLI.loadPolicies(policy, invalidExit: 2)
        let text = try PolicyCLI.read(tests)
        let suite: PolicyTestSuite
        do {
            suite = try PolicyTestSuite.load(yaml: text)
        } catch {
            throw CommandFailure.badInput("\(tests): \(error.message)")
        }
        let results = PolicyTestRunner.run(suite, against: compiled)
        for result in results {
            if result.passed {
                print("PASS \(result.name)")
            } else {
                print("FAIL \(result.name)")
                for mismatch in result.mismatches { print("  \(mismatch)") }
                print("  decision: \(result.decision.reason)")
                for line in result.decision.explanation?.description.split(separator: "\n") ?? [] {
                    print("    \(line)")
                }
            }
        }
        let failed = results.filter { !$0.passed }.count
        print("\(results.count - failed) passed, \(failed) failed")
        if failed > 0 { throw ExitCode(1) }
    }
}
