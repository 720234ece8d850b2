import ArgumentParser
import Foundation
import ZeroTrustPolicy

/// Shared helpers of the `zt policy` commands.
enum PolicyCLI {
    /// Writes one line to standard error.
    static func printError(_ text: String) {
        FileHandleOutput.standardError.write(text + "\n")
    }

    /// Reads a file, or standard input for `-`, as UTF-8 text; exits 2 when unreadable.
    static func read(_ path: String) throws -> String {
        String(decoding: try InputFiles.data(path), as: UTF8.self)
    }

    /// `FILE:LINE:COL: message` lines for a policy error.
    static func diagnostics(_ error: PolicyError, file: String) -> [String] {
        let problems = error.problems.isEmpty
            ? [PolicyError.Problem(code: error.code, message: error.message, line: error.line, column: error.column)]
            : error.problems
        return problems.map { p in
            "\(file):\(p.line ?? 1):\(p.column ?? 1): \(p.message) [\(p.code.rawValue)]"
        }
    }

    /// Loads and compiles a policy file; prints diagnostics and exits with `invalidExit` on error.
    static func loadPolicies(_ path: String, invalidExit: Int32) throws -> CompiledPolicySet {
        let text = try read(path)
        do {
            return try CompiledPolicySet(PolicyLoader.load(yaml: text))
        } catch {
            for line in diagnostics(error, file: path) { printError(line) }
            throw ExitCode(invalidExit)
        }
    }

    static func json(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        guard let data = try? encoder.encode(value) else { return "null" }
        return String(decoding: data, as: UTF8.self)
    }

    /// The decision as one compact JSON object with sorted keys (the `zt` JSON convention).
    static func decisionJSON(_ d: Decision) -> String { json(d) }
}
