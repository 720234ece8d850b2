import ArgumentParser
import ZeroTrustPolicy

/// `zt policy check FILE`.
struct PolicyCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate a policy file.",
        discussion: """
            Prints 'FILE: valid (N policies, fnv1a64:…)' and exits 0 when the file is valid. \
            Otherwise prints every problem as 'FILE:LINE:COL: message [code]' on standard error \
            and exits 1. Exits 2 when the file cannot be read. With --json, prints one object on \
            stdout instead: {"valid":true,"policies":N,"policy_version":…} or \
            {"valid":false,"problems":[{"code":…,"message":…,"line":…,"column":…}]}.

            Example:
              zt policy check policies.yaml
              zt policy check --json policies.yaml
            """
    )

    @Flag(name: .long, help: "Print the result as one JSON object on stdout.")
    var json = false

    @Argument(help: "The policy YAML file.")
    var file: String

    func run() throws {
        guard json else {
            let compiled = try PolicyCLI.loadPolicies(file, invalidExit: 1)
            print("\(file): valid (\(compiled.policySet.policies.count) policies, \(compiled.policyVersion))")
            return
        }
        let text = try PolicyCLI.read(file)
        do {
            let compiled = try CompiledPolicySet(PolicyLoader.load(yaml: text))
            JSONOutput.print(["valid": true, "policies": compiled.policySet.policies.count,
                              "policy_version": compiled.policyVersion])
        } catch {
            let problems = error.problems.isEmpty
                ? [PolicyError.Problem(code: error.code, message: error.message, line: error.line, column: error.column)]
                : error.problems
            JSONOutput.print(["valid": false, "problems": problems.map { problem -> [String: Any] in
                var object: [String: Any] = ["code": problem.code.rawValue, "message": problem.message]
                if let line = problem.line { object["line"] = line }
                if let column = problem.column { object["column"] = column }
                return object
            }])
            throw ExitCode(1)
        }
    }
}
