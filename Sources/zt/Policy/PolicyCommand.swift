import ArgumentParser

/// `zt policy`: check, evaluate, lint and test policy files.
struct PolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "Check, evaluate, lint and test ZeroTrustKit policy files.",
        discussion: """
            Exit codes: 0 valid/authorized/clean/passed, 1 invalid/denied/findings/failed, \
            2 unreadable or invalid input. Errors go to standard error.
            See Documentation/CLI.md and Documentation/PolicyLanguage.md.

            Example:
              zt policy check policies.yaml && zt policy test policies.yaml policies.tests.yaml
            """,
        subcommands: [PolicyCheckCommand.self, PolicyEvalCommand.self, PolicyLintCommand.self, PolicyTestCommand.self]
    )
}
