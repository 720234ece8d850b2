import Foundation
import Testing

@Suite("zt demo")
struct DemoCLITests {
    @Test func demoNarratesEveryStepAndSucceeds() throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        let result = try cli.run(["demo", "--keep", cli.path("workspace")])
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains("Every step behaved as narrated."))
        #expect(!result.stdout.contains("✘"))
        #expect(result.stdout.components(separatedBy: "✔ ALLOWED").count - 1 == 2)
        #expect(result.stdout.components(separatedBy: "✔ DENIED").count - 1 == 7)
        #expect(result.stdout.contains("credential_stuffing") || result.stdout.contains("raised an alert"))
        #expect(result.stdout.contains("is caught"))
        // Standard output is a pipe here: no colour codes.
        #expect(!result.stdout.contains("\u{1B}["))
        for file in ["audit.log", "ca/root.pem", "alice.pem", "bob.pem", "sam.pem", "policies.yaml", "kms/keyring", "customers-2026.ztev"] {
            #expect(FileManager.default.fileExists(atPath: cli.path("workspace/" + file)), "\(file)")
        }
    }
}
