import Foundation
import Testing

/// The conventions every `zt` command shares: help with examples, one-line usage errors, shell
/// completion.
@Suite struct HelpCLITests {
    /// The subcommand names listed in a `--help` text's SUBCOMMANDS section.
    static func subcommands(inHelp text: String) -> [String] {
        guard let section = text.range(of: "SUBCOMMANDS:") else { return [] }
        return text[section.upperBound...].split(separator: "\n", omittingEmptySubsequences: false)
            .dropFirst()
            .prefix { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            .compactMap { line -> String? in
                // "  name      abstract"; continuation lines of an abstract are indented further.
                guard line.hasPrefix("  "), !line.hasPrefix("   ") else { return nil }
                return line.split(separator: " ").first.map(String.init)
            }
            .filter { $0 != "help" }
    }

    @Test func everyCommandsHelpShowsAnExample() throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        var pending: [[String]] = [[]], visited = 0
        while let command = pending.popLast() {
            let result = try cli.run(command + ["--help"])
            #expect(result.status == 0, "\(command)")
            #expect(result.stdout.contains("Example"), "zt \(command.joined(separator: " ")) --help has no example")
            visited += 1
            pending += Self.subcommands(inHelp: result.stdout).map { command + [$0] }
        }
        // The root, its 15 commands and their subcommands.
        #expect(visited > 40)
    }

    @Test(arguments: [["token", "issue"], ["authorize", "--config"], ["policy", "eval", "--bogus"], ["nonexistent"]])
    func aUsageErrorIsOneLineAndExits2(_ arguments: [String]) throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        let result = try cli.run(arguments)
        #expect(result.status == 2)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(result.stderr)")
        #expect(lines.first?.hasPrefix("zt: ") == true)
        #expect(lines.first?.hasSuffix("(see --help)") == true)
    }

    @Test(arguments: ["bash", "zsh", "fish"])
    func completionScripts(_ shell: String) throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        let result = try cli.run(["--generate-completion-script", shell])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("authorize"))
    }
}
