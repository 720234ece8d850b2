import Foundation
import Testing

@Suite("zt policy")
struct PolicyCLITests {
    /// The seed policy file (../shared/design/policy-example.yaml), as a fixture of this suite.
    static var seedPolicy: String {
        get throws {
            let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("ZeroTrustPolicyTests/Fixtures/policy-example.yaml")
            return try String(contentsOf: url, encoding: .utf8)
        }
    }

    func request(role: String, time: String, ip: String = "10.1.2.3") -> String {
        """
        {"subject":{"id":"alice","roles":["\(role)"],"approvals":[],"attributes":{}},
         "resource":{"type":"dataset","id":"ds-1","attributes":{"sensitivity":"low"}},
         "action":"read_data",
         "context":{"ip":"\(ip)","time":"\(time)","mfa_verified":false}}
        """
    }

    @Test("check, eval, lint with the documented outputs and exit codes")
    func policyCommands() throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        try Self.seedPolicy.write(toFile: cli.path("policy.yaml"), atomically: true, encoding: .utf8)
        #expect(try cli.run(["policy", "check", "policy.yaml"]).status == 0)

        let allowed = try cli.run(["policy", "eval", "--policy", "policy.yaml", "--request", "-"],
                                  stdin: request(role: "data_scientist", time: "2026-11-24T10:00:00Z"))
        #expect(allowed.status == 0, "\(allowed.stderr)")
        let decision = try #require(try JSONSerialization.jsonObject(with: Data(allowed.stdout.utf8)) as? [String: Any])
        #expect(decision["authorized"] as? Bool == true && decision["policy_id"] as? String == "data_scientist_training")

        let evening = try cli.run(["policy", "eval", "--policy", "policy.yaml", "--request", "-"],
                                  stdin: request(role: "data_scientist", time: "2026-11-24T18:00:00Z"))
        #expect(evening.status == 1 && evening.stdout.contains("conditions_not_met"))
        let badTime = try cli.run(["policy", "eval", "--policy", "policy.yaml", "--request", "-"],
                                  stdin: request(role: "data_scientist", time: "yesterday"))
        #expect(badTime.status == 2)

        try "policies:\n  - id: x\n    effect: maybe\n    subjects: [{role: a}]\n    resources: [{type: t}]\n    actions: [a]\n"
            .write(toFile: cli.path("bad.yaml"), atomically: true, encoding: .utf8)
        let invalid = try cli.run(["policy", "check", "bad.yaml"])
        #expect(invalid.status == 1 && invalid.stderr.contains("bad.yaml:3:"))
        #expect(try cli.run(["policy", "lint", "policy.yaml"]).status == 0)  // the seed set is clean
        try "policies:\n  - id: a\n    subjects: [{role: r}]\n    resources: [{type: model, stage: production}]\n    actions: [deploy_model]\n"
            .write(toFile: cli.path("risky.yaml"), atomically: true, encoding: .utf8)
        let risky = try cli.run(["policy", "lint", "risky.yaml"])
        #expect(risky.status == 1 && risky.stdout.contains("unconditioned_production"))
        let riskyJSON = try cli.run(["policy", "lint", "--json", "risky.yaml"])
        let lint = try #require(try JSONSerialization.jsonObject(with: Data(riskyJSON.stdout.utf8)) as? [String: Any])
        #expect(riskyJSON.status == 1 && lint["serious"] as? Int == 1)
        #expect((lint["findings"] as? [[String: Any]])?.first?["code"] as? String == "unconditioned_production")
        let checkJSON = try cli.run(["policy", "check", "--json", "bad.yaml"])
        let check = try #require(try JSONSerialization.jsonObject(with: Data(checkJSON.stdout.utf8)) as? [String: Any])
        #expect(checkJSON.status == 1 && check["valid"] as? Bool == false)
        #expect((check["problems"] as? [[String: Any]])?.first?["line"] as? Int == 3)
        let validJSON = try cli.run(["policy", "check", "--json", "policy.yaml"])
        #expect(validJSON.status == 0 && validJSON.stdout.contains("\"valid\":true"))
        #expect(try cli.run(["policy", "check", "missing.yaml"]).status == 2)
    }
}
