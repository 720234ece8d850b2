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
            severity warning or error, 1 when there is, 2 when the file is unreadable or invalid. \
            With --json, prints {"findings":[{"code":…,"severity":…,"policy_ids":[…],"message":…}],\
            "serious":N} instead.

            Example:
              zt policy lint policies.yaml
              zt policy lint --json policies.yaml
            """
    )

    @Flag(name: .long, help: "Print the findings as one JSON object on stdout.")
    var json = false

    @Argument(help: "The policy YAML file.")
    var file: String

    func run() throws {
        let compiled = try PolicyCLI.loadPolicies(file, invalidExit: 2)
        let findings = PolicyLinter().lint(compiled.policySet)
        let serious = findings.filter { $0.severity >= .warning }.count
        if json {
            JSONOutput.print(["serious": serious, "findings": findings.map { finding -> [String: Any] in
                ["code": finding.code.rawValue, "severity": finding.severity.rawValue,
                 "policy_ids": finding.policyIDs, "message": finding.message]
            }])
        } else {
            for finding in findings { print("\(file): \(finding)") }
            print("\(file): \(findings.count) finding\(findings.count == 1 ? "" : "s") (\(serious) warning or error)")
        }
        if serious > 0 { throw ExitCode(1) }
    }
}
