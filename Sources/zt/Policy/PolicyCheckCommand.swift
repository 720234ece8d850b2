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
            and exits 1. Exits 2 when the file cannot be read.

            Example:
              zt policy check policies.yaml
            """
    )

    @Argument(help: "The policy YAML file.")
    var file: String

    func run() throws {
        let compiled = try PolicyCLI.loadPolicies(file, invalidExit: 1)
        print("\(file): valid (\(compiled.policySet.policies.count) policies, \(compiled.policyVersion))")
    }
}
