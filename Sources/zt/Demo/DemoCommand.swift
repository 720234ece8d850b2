import ArgumentParser
import Foundation
import ZeroTrustKit

/// `zt demo`: the whole pipeline in a throw-away workspace, narrated.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Walk through the Zero Trust pipeline in a throw-away workspace.",
        discussion: """
            Builds a temporary workspace (a development CA, certificates for a data scientist, an ML engineer \
            and a security approver, token and audit keys, the example policy, a local KMS and a hash-chained \
            audit log) and walks through the seed scenarios: allowed and denied requests with their reasons, \
            a dataset encrypted and read back through the gate, the audit log verified and then tampered with \
            and caught, and a credential-stuffing burst detected. All scenario times are fixed (Tuesday \
            2026-11-24 and around), so the transcript is the same on every day. Colour only when standard \
            output is a terminal. Exits 0 when every step behaved as narrated, 1 otherwise. With --json, prints \
            one JSON object per line instead: {"type":"step","act":…,"step":…,"as_narrated":…,"detail":…} for \
            every step, then {"type":"summary","steps":N,"failed":M,"failures":[…],"as_narrated":…}.

            Examples:
              zt demo
              zt demo --keep /tmp/zt-demo     # keep the workspace to explore it afterwards
              zt demo --json | jq -c 'select(.as_narrated == false)'
            """
    )

    @Option(name: .long, help: "Build the workspace in this (new or empty) directory and keep it.")
    var keep: String?

    @Flag(name: .long, help: "Print one JSON object per step and a summary object, one per line.")
    var json = false

    func run() async throws {
        let directory = keep ?? FileManager.default.temporaryDirectory.appendingPathComponent("zt-demo-\(UUID().uuidString)").path
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw CommandFailure.badInput("cannot create the workspace \(directory)")
        }
        defer { if keep == nil { try? FileManager.default.removeItem(atPath: directory) } }
        let transcript = DemoTranscript(json: json)
        do {
            try await DemoRun(directory: directory, transcript: transcript).run()
        } catch {
            transcript.step(false, "the demo stopped: \(error)")
        }
        transcript.finish()
        if !transcript.failures.isEmpty {
            FileHandleOutput.standardError.write("zt: demo: \(transcript.failures.count) step(s) did not behave as narrated\n")
            throw ExitCode(1)
        }
    }
}
