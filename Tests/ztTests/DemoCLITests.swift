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

    @Test func demoJSONPrintsOneObjectPerStepAndASummary() throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        let result = try cli.run(["demo", "--json"])
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        let objects = try result.stdout.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(line)")
        }
        let steps = objects.filter { $0["type"] as? String == "step" }
        #expect(objects.count == steps.count + 1)                     // nothing else on stdout
        let summary = try #require(objects.last)
        #expect(summary["type"] as? String == "summary")
        #expect(summary["steps"] as? Int == steps.count && summary["failed"] as? Int == 0)
        #expect(summary["as_narrated"] as? Bool == true && summary["failures"] as? [String] == [])
        #expect(steps.allSatisfy { $0["as_narrated"] as? Bool == true && !(($0["act"] as? String) ?? "").isEmpty })
        let texts = steps.compactMap { $0["step"] as? String }
        #expect(texts.filter { $0.hasPrefix("ALLOWED") }.count == 2)
        #expect(texts.filter { $0.hasPrefix("DENIED") }.count == 7)
        #expect(texts.contains { $0.contains("is caught") })
        #expect(!result.stdout.contains("\u{1B}[") && !result.stdout.contains("✔"))
    }
}
