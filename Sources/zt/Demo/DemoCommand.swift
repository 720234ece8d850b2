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
            output is a terminal. Exits 0 when every step behaved as narrated, 1 otherwise.

            Examples:
              zt demo
              zt demo --keep /tmp/zt-demo     # keep the workspace to explore it afterwards
            """
    )

    @Option(name: .long, help: "Build the workspace in this (new or empty) directory and keep it.")
    var keep: String?

    func run() async throws {
        let directory = keep ?? FileManager.default.temporaryDirectory.appendingPathComponent("zt-demo-\(UUID().uuidString)").path
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw CommandFailure.badInput("cannot create the workspace \(directory)")
        }
        defer { if keep == nil { try? FileManager.default.removeItem(atPath: directory) } }
        let transcript = DemoTranscript()
        do {
            try await DemoRun(directory: directory, transcript: transcript).run()
        } catch {
            transcript.step(false, "the demo stopped: \(error)")
        }
        if transcript.failures.isEmpty {
            print("\nEvery step behaved as narrated.")
        } else {
            FileHandleOutput.standardError.write("zt: demo: \(transcript.failures.count) step(s) did not behave as narrated\n")
            throw ExitCode(1)
        }
    }
}
