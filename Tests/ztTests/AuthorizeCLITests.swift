import Foundation
import Testing

/// `zt authorize` against a workspace built with the zt commands themselves: a development CA,
/// token keys, an API key store, the example policy and a hash-chained audit log.
@Suite struct AuthorizeCLITests {
    static let seedPolicy = """
        policies:
          - id: data_scientist_training
            subjects: [{role: data_scientist}]
            resources: [{type: dataset, sensitivity: low}]
            actions: [read_data]
            conditions: [{ip_range: 10.0.0.0/8}, {time_window: business_hours}]
          - id: production_model_deployment
            subjects: [{role: mlops_engineer}, {approval: security_team}]
            resources: [{type: model, stage: production}]
            actions: [deploy_model]
            conditions: [{mfa_required: true}, {audit_logged: true}]
          - id: block_quarantined_models
            effect: deny
            subjects: [{role: "*"}]
            resources: [{type: model, quarantined: "true"}]
            actions: ["*"]
          - id: metrics_any_time
            subjects: [{role: data_scientist}]
            resources: [{type: training_cluster}]
            actions: [read_metrics]
        """

    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// The next Tuesday 10:00 UTC after now: inside the certificates' 30-day validity.
    var nextTuesdayMorning: String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .gmt
        let next = calendar.nextDate(after: Date(), matching: DateComponents(hour: 10, minute: 0, weekday: 3),
                                     matchingPolicy: .nextTime) ?? Date()
        return next.formatted(.iso8601)
    }

    /// Builds the workspace and returns the harness.
    func workspace() throws -> CLIHarness {
        let cli = try CLIHarness()
        for arguments in [
            ["ca", "init", "--dir", "ca", "--name", "Test"],
            ["ca", "issue", "--dir", "ca", "--cn", "alice", "--ou", "data-science", "--client",
             "--out-cert", "alice.pem", "--out-key", "alice-key.pem"],
            ["ca", "issue", "--dir", "ca", "--cn", "carol", "--ou", "data-science", "--client",
             "--out-cert", "carol.pem", "--out-key", "carol-key.pem"],
            ["token", "keygen", "--alg", "HS256", "--kid", "users", "--out", "users.jwk", "--jwks-out", "users.jwks"],
            ["token", "keygen", "--alg", "EdDSA", "--kid", "grants", "--out", "grants.jwk", "--jwks-out", "grants.jwks"],
            ["token", "keygen", "--alg", "EdDSA", "--kid", "security", "--out", "security.jwk", "--jwks-out", "security.jwks"],
            ["audit", "keygen", "--out", "audit.pem", "--public-out", "audit.pub.pem"],
        ] {
            let result = try cli.run(arguments)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
        }
        try Self.seedPolicy.write(toFile: cli.path("policies.yaml"), atomically: true, encoding: .utf8)
        try "rules:\n  - roles: [data_scientist]\n    match:\n      organizationalUnit: data-science\n"
            .write(toFile: cli.path("roles.yaml"), atomically: true, encoding: .utf8)
        try """
            policy: policies.yaml
            max_token_lifetime: 600
            grants: {signing_key: grants.jwk, issuer: https://gatekeeper.test}
            trust_store: ca/root.pem
            role_mapping: roles.yaml
            tokens: {jwks: users.jwks}
            api_keys: keys.json
            approvers: {security_team: security.jwks}
            audit:
              - {type: file, path: audit.log, signing_key: audit.pem, mode: strict}
            """.write(toFile: cli.path("zt.yaml"), atomically: true, encoding: .utf8)
        return cli
    }

    func authorize(_ cli: CLIHarness, _ credential: [String], action: String, type: String, id: String,
                   attributes: [String] = [], extra: [String] = []) throws -> CLIHarness.Result {
        try cli.run(["authorize", "--config", "zt.yaml"] + credential
                    + ["--action", action, "--resource-type", type, "--resource-id", id]
                    + attributes.flatMap { ["--attr", $0] } + extra)
    }

    @Test func certificateSeedScenariosAndExitCodes() throws {
        let cli = try workspace()
        defer { cli.remove() }
        let cert = ["--cert", "alice.pem", "--key", "alice-key.pem"]
        let allowed = try authorize(cli, cert, action: "read_data", type: "dataset", id: "customers",
                                    attributes: ["sensitivity=low"], extra: ["--ip", "10.1.2.3", "--at", nextTuesdayMorning, "--explain"])
        #expect(allowed.status == 0, "\(allowed.stderr)")
        let outcome = try json(allowed.stdout)
        #expect(outcome["granted"] as? Bool == true)
        #expect(outcome["subject"] as? String == "alice")
        #expect((outcome["token"] as? String)?.split(separator: ".").count == 3)
        let decision = try #require(outcome["decision"] as? [String: Any])
        #expect(decision["policy_id"] as? String == "data_scientist_training")
        #expect(decision["ttl"] as? Int == 600)
        #expect(decision["explanation"] != nil)
        #expect(outcome["audit_event_id"] is String)

        let denied = try authorize(cli, cert, action: "read_data", type: "dataset", id: "customers",
                                   attributes: ["sensitivity=low"], extra: ["--ip", "192.168.1.5", "--at", nextTuesdayMorning])
        #expect(denied.status == 1)
        let deniedOutcome = try json(denied.stdout)
        #expect(deniedOutcome["granted"] as? Bool == false)
        #expect(deniedOutcome["token"] is NSNull)
        #expect((deniedOutcome["decision"] as? [String: Any])?["explanation"] == nil)

        // Someone else's key: no proof of possession, bad usage.
        let wrongKey = try authorize(cli, ["--cert", "alice.pem", "--key", "carol-key.pem"], action: "read_data",
                                     type: "dataset", id: "customers")
        #expect(wrongKey.status == 2)
        #expect(wrongKey.stderr.contains("not the private key"))

        // Every request so far that reached the gatekeeper is in the verified audit log.
        let verify = try cli.run(["audit", "verify", "audit.log", "--public-key", "audit.pub.pem"])
        #expect(verify.status == 0, "\(verify.stdout) \(verify.stderr)")
        #expect(try json(verify.stdout)["records"] as? Int == 2)
    }

    @Test func bearerTokenAndAPIKey() throws {
        let cli = try workspace()
        defer { cli.remove() }
        let token = try cli.run(["token", "issue", "--key", "users.jwk", "--sub", "dana", "--claim", "roles=[\"data_scientist\"]"])
        #expect(token.status == 0)
        let bearer = token.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let granted = try authorize(cli, ["--token", bearer], action: "read_metrics", type: "training_cluster", id: "gpu-1")
        #expect(granted.status == 0, "\(granted.stdout) \(granted.stderr)")
        #expect(try json(granted.stdout)["subject"] as? String == "dana")

        let tampered = try authorize(cli, ["--token", String(bearer.dropLast(3)) + "AAA"], action: "read_metrics",
                                     type: "training_cluster", id: "gpu-1")
        #expect(tampered.status == 1)
        #expect(try json(tampered.stdout)["authentication_failure"] as? String == "invalidSignature")

        let created = try cli.run(["apikey", "create", "--store", "keys.json", "--name", "etl", "--role", "data_scientist"])
        let key = try #require(try json(created.stdout)["key"] as? String)
        let viaKey = try authorize(cli, ["--api-key", key], action: "read_metrics", type: "training_cluster", id: "gpu-1")
        #expect(viaKey.status == 0, "\(viaKey.stderr)")
        #expect(try json(viaKey.stdout)["subject"] as? String == "etl")
        let quarantined = try authorize(cli, ["--api-key", key], action: "read_data", type: "model", id: "old",
                                        attributes: ["quarantined=true"])
        #expect(quarantined.status == 1)
        let reason = (try json(quarantined.stdout)["decision"] as? [String: Any])?["reason"] as? [String: Any]
        #expect(reason?["code"] as? String == "explicit_deny")
    }

    @Test func approvalTokensFromZtTokenIssue() throws {
        let cli = try workspace()
        defer { cli.remove() }
        let bearer = try cli.run(["token", "issue", "--key", "users.jwk", "--sub", "bob",
                                  "--claim", "roles=[\"mlops_engineer\"]", "--claim", "amr=[\"mfa\"]"])
        #expect(bearer.status == 0, "\(bearer.stderr)")
        func approval(signedWith key: String, resourceID: String = "fraud-v3") throws -> String {
            let issued = try cli.run(["token", "issue", "--key", key, "--sub", "bob", "--type", "approval+jwt", "--ttl", "300",
                                      "--claim", "approval=\"security_team\"", "--claim", "action=\"deploy_model\"",
                                      "--claim", "resource_id=\"\(resourceID)\""])
            #expect(issued.status == 0, "\(issued.stderr)")
            return issued.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let token = bearer.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        func deploy(_ approvals: [String]) throws -> CLIHarness.Result {
            try authorize(cli, ["--token", token], action: "deploy_model", type: "model", id: "fraud-v3",
                          attributes: ["stage=production"], extra: approvals.flatMap { ["--approval", $0] })
        }
        let approved = try deploy([try approval(signedWith: "security.jwk")])
        #expect(approved.status == 0, "\(approved.stdout) \(approved.stderr)")
        #expect(try json(approved.stdout)["granted"] as? Bool == true)
        // Signed by a key that is not the approver's, scoped to another model, or absent: denied.
        for approvals in [[try approval(signedWith: "users.jwk")], [try approval(signedWith: "security.jwk", resourceID: "other")], []] {
            let refused = try deploy(approvals)
            #expect(refused.status == 1, "\(refused.stdout)")
            // Without a valid approval the deployment policy does not apply to bob at all.
            let reason = (try json(refused.stdout)["decision"] as? [String: Any])?["reason"] as? [String: Any]
            #expect(reason?["code"] as? String == "no_applicable_policy")
        }
        let badType = try cli.run(["token", "issue", "--key", "users.jwk", "--sub", "bob", "--type", "a b"])
        #expect(badType.status == 2)
    }

    @Test func badUsageAndBadConfigurationExit2() throws {
        let cli = try workspace()
        defer { cli.remove() }
        let both = try authorize(cli, ["--token", "x", "--api-key", "y"], action: "read_data", type: "dataset", id: "d")
        #expect(both.status == 2)
        let none = try authorize(cli, [], action: "read_data", type: "dataset", id: "d")
        #expect(none.status == 2)
        let badIP = try authorize(cli, ["--token", "x"], action: "read_data", type: "dataset", id: "d", extra: ["--ip", "10.1"])
        #expect(badIP.status == 2)
        // Invalid configurations, each refused naming its setting.
        for (settings, named) in [("audit: [{type: stdout}]\nmax_token_lifetime: 7200\n", "max_token_lifetime"),
                                  ("audit: [{type: stdout}]\npolicyy: typo\n", "policyy"),
                                  ("", "audit")] {
            try ("policy: policies.yaml\ngrants: {signing_key: grants.jwk}\n" + settings)
                .write(toFile: cli.path("bad.yaml"), atomically: true, encoding: .utf8)
            let refused = try cli.run(["authorize", "--config", "bad.yaml", "--token", "x", "--action", "a",
                                       "--resource-type", "t", "--resource-id", "i"])
            #expect(refused.status == 2, "\(settings)")
            #expect(refused.stderr.contains(named), "\(refused.stderr)")
        }
        let missing = try cli.run(["authorize", "--config", "nope.yaml", "--token", "x", "--action", "a",
                                   "--resource-type", "t", "--resource-id", "i"])
        #expect(missing.status == 2)
        #expect(missing.stderr.split(separator: "\n").count == 1)
        let strayKey = try authorize(cli, ["--token", "x", "--key", "alice-key.pem"], action: "read_data", type: "dataset", id: "d")
        #expect(strayKey.status == 2)
        #expect(strayKey.stderr.contains("--key needs --cert"))
    }

    @Test func aStdoutAuditDestinationLeavesStdoutToTheOutcome() throws {
        let cli = try workspace()
        defer { cli.remove() }
        var config = try String(contentsOfFile: cli.path("zt.yaml"), encoding: .utf8)
        config += "\n  - {type: stdout, mode: strict}\n"
        try config.write(toFile: cli.path("zt.yaml"), atomically: true, encoding: .utf8)
        let token = try cli.run(["token", "issue", "--key", "users.jwk", "--sub", "dana", "--claim", "roles=[\"data_scientist\"]"])
        let result = try authorize(cli, ["--token", token.stdout.trimmingCharacters(in: .whitespacesAndNewlines)],
                                   action: "read_metrics", type: "training_cluster", id: "gpu-1")
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 1, "stdout: \(result.stdout)")
        #expect(try json(result.stdout)["granted"] as? Bool == true)
        #expect(result.stderr.contains("\"read_metrics\""), "the audit event goes to stderr: \(result.stderr)")
    }
}
