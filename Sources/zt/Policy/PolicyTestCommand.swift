import ArgumentParser
import Foundation
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
            unreadable or invalid. With --json, prints one object on stdout instead: \
            {"cases":[{"name":…,"passed":…,"mismatches":[…],"decision":{…}}],"total":N,"passed":P,"failed":F} \
            (decision in the `zt policy eval` form, with the explanation of a failing case); the exit \
            codes are the same.

            Examples:
              zt policy test policies.yaml policies.tests.yaml
              zt policy test --json policies.yaml policies.tests.yaml | jq '.cases[] | select(.passed | not)'
            """
    )

    @Flag(name: .long, help: "Print the results as one JSON object on stdout.")
    var json = false

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
        let failed = results.filter { !$0.passed }.count
        if json {
            JSONOutput.print(["cases": results.map(Self.object), "total": results.count,
                              "passed": results.count - failed, "failed": failed])
            if failed > 0 { throw ExitCode(1) }
            return
        }
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
        print("\(results.count - failed) passed, \(failed) failed")
        if failed > 0 { throw ExitCode(1) }
    }

    /// One case's JSON object; the decision keeps its explanation only when the case failed.
    private static func object(_ result: PolicyTestRunner.Result) -> [String: Any] {
        var decision = result.decision
        if result.passed { decision.explanation = nil }
        let decisionObject = (try? JSONSerialization.jsonObject(with: Data(PolicyCLI.decisionJSON(decision).utf8))) ?? NSNull()
        return ["name": result.name, "passed": result.passed, "mismatches": result.mismatches, "decision": decisionObject]
    }
}
