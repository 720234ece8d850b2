import ArgumentParser
import ZeroTrustPolicy

/// `zt policy lint FILE`.
struct PolicyLintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Report shadowed, overridden, unsatisfiable and risky policies.",
        discussion: """
            Prints one line per finding, 'FILE: SEVERITY CODE [POLICY_IDS]: message', then a \
            summary. Codes: duplicate_permit, shadowed_permit, overridden_by_deny, unsatisfiable, \
            wildcard_sensitive_grant, unconditioned_production. Exits 0 when there is no finding of \
            severity warning or error, 1 when there is, 2 when the file is unreadable or invalid.

            Example:
              zt policy lint policies.yaml
            """
    )

    @Argument(help: "The policy YAML file.")
    var file: String

    func run() throws {
        let compiled = try PolicyCLI.loadPolicies(file, invalidExit: 2)
        let findings = PolicyLinter().lint(compiled.policySet)
        for finding in findings { print("\(file): \(finding)") }
        let serious = findings.filter { $0.severity >= .warning }.count
        print("\(file): \(findings.count) finding\(findings.count == 1 ? "" : "s") (\(serious) warning or error)")
        if serious > 0 { throw ExitCode(1) }
    }
}
