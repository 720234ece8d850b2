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

    @Test("policy test --json reports every case, its mismatches and the totals")
    func policyTestJSON() throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("ZeroTrustPolicyTests/Fixtures")
        try Self.seedPolicy.write(toFile: cli.path("policy.yaml"), atomically: true, encoding: .utf8)
        for name in ["failing-tests.yaml", "seed-tests.yaml"] {
            try String(contentsOf: fixtures.appendingPathComponent(name), encoding: .utf8)
                .write(toFile: cli.path(name), atomically: true, encoding: .utf8)
        }

        let failing = try cli.run(["policy", "test", "--json", "policy.yaml", "failing-tests.yaml"])
        #expect(failing.status == 1, "\(failing.stderr)")
        #expect(failing.stdout.split(separator: "\n").count == 1)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(failing.stdout.utf8)) as? [String: Any])
        #expect(report["total"] as? Int == 2 && report["passed"] as? Int == 1 && report["failed"] as? Int == 1)
        let cases = try #require(report["cases"] as? [[String: Any]])
        #expect(cases.map { $0["passed"] as? Bool } == [false, true])
        #expect(cases[0]["mismatches"] as? [String] == [
            "authorized: expected true, got false",
            "policy_id: expected data_scientist_training, got null",
            "obligations: expected [\"audit\"], got []",
            "ttl: expected 3600, got null",
        ])
        #expect(cases[1]["mismatches"] as? [String] == [])
        #expect(cases.allSatisfy { !(($0["name"] as? String) ?? "").isEmpty })
        let decision = try #require(cases[0]["decision"] as? [String: Any])
        #expect(decision["authorized"] as? Bool == false)
        #expect(decision["explanation"] != nil)                       // kept for a failing case
        #expect((cases[1]["decision"] as? [String: Any])?["explanation"] == nil)

        let passing = try cli.run(["policy", "test", "--json", "policy.yaml", "seed-tests.yaml"])
        #expect(passing.status == 0, "\(passing.stderr)")
        let all = try #require(try JSONSerialization.jsonObject(with: Data(passing.stdout.utf8)) as? [String: Any])
        #expect(all["total"] as? Int == 5 && all["passed"] as? Int == 5 && all["failed"] as? Int == 0)

        // The human format is unchanged without the flag.
        let human = try cli.run(["policy", "test", "policy.yaml", "failing-tests.yaml"])
        #expect(human.status == 1 && human.stdout.contains("FAIL ") && human.stdout.contains("1 passed, 1 failed"))
        #expect(try cli.run(["policy", "test", "--json", "policy.yaml", "missing.yaml"]).status == 2)
    }
}
