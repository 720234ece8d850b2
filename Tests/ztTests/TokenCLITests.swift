import Foundation
import Testing

@Suite("zt token and zt apikey")
struct TokenCLITests {
    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test("keygen, issue, verify, inspect, with exit codes", arguments: ["HS256", "ES256", "EdDSA", "PS256"])
    func tokenFlow(alg: String) throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        #expect(try cli.run(["token", "keygen", "--alg", alg, "--kid", "k1", "--out", "s.jwk", "--jwks-out", "p.jwks"]).status == 0)
        let privateMode = try FileManager.default.attributesOfItem(atPath: cli.path("s.jwk"))[.posixPermissions] as? NSNumber
        #expect(privateMode?.intValue == 0o600)
        let issued = try cli.run(["token", "issue", "--key", "s.jwk", "--sub", "alice", "--iss", "https://auth", "--aud", "registry",
                                  "--ttl", "600", "--claim", #"roles=["ml_engineer"]"#])
        #expect(issued.status == 0, "\(issued.stderr)")
        let token = issued.stdout.trimmingCharacters(in: .whitespacesAndNewlines)

        let verified = try cli.run(["token", "verify", "--jwks", "p.jwks", "--issuer", "https://auth", "--audience", "registry", token])
        #expect(verified.status == 0, "\(verified.stdout) \(verified.stderr)")
        let claims = try json(verified.stdout)
        #expect(claims["sub"] as? String == "alice" && claims["roles"] as? [String] == ["ml_engineer"])

        let fromStdin = try cli.run(["token", "verify", "--jwks", "p.jwks", "-"], stdin: token + "\n")
        #expect(fromStdin.status == 0)

        let wrongAudience = try cli.run(["token", "verify", "--jwks", "p.jwks", "--audience", "other", token])
        #expect(wrongAudience.status == 1)
        #expect((try json(wrongAudience.stdout)["error"] as? [String: Any])?["code"] as? String == "wrongAudience")

        let expired = try cli.run(["token", "verify", "--jwks", "p.jwks", "--at", "4102444800", token])
        #expect(expired.status == 1 && expired.stdout.contains("\"expired\""))

        let inspected = try json(try cli.run(["token", "inspect", token]).stdout)
        #expect(inspected["verified"] as? Bool == false)
        #expect((inspected["header"] as? [String: Any])?["alg"] as? String == alg)

        #expect(try cli.run(["token", "verify", "--jwks", "missing.jwks", token]).status == 2)
        #expect(try cli.run(["token", "issue", "--key", "s.jwk", "--sub", "a", "--ttl", "7200"]).status == 2)
        #expect(try cli.run(["token", "keygen", "--alg", "none", "--kid", "x", "--out", "n.jwk"]).status == 2)
    }

    @Test("verify options: --at as RFC 3339, --leeway, --max-ttl, --allow-missing-kid; --jwks-out modes")
    func verifyOptions() throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        #expect(try cli.run(["token", "keygen", "--alg", "EdDSA", "--kid", "k1", "--out", "s.jwk", "--jwks-out", "p.jwks"]).status == 0)
        #expect(try cli.run(["token", "keygen", "--alg", "HS256", "--kid", "h1", "--out", "h.jwk", "--jwks-out", "h.jwks"]).status == 0)
        func mode(_ name: String) throws -> Int? {
            (try FileManager.default.attributesOfItem(atPath: cli.path(name))[.posixPermissions] as? NSNumber)?.intValue
        }
        #expect(try mode("p.jwks") == 0o644, "a public key set")
        #expect(try mode("h.jwks") == 0o600, "an HMAC key set is the secret itself")

        let issued = try cli.run(["token", "issue", "--key", "s.jwk", "--sub", "alice", "--ttl", "600"])
        let token = issued.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        // Offsets count from the token's own iat, however long the process took to start.
        let claims = try #require(try json(try cli.run(["token", "inspect", token]).stdout)["claims"] as? [String: Any])
        let start = Date(timeIntervalSince1970: try #require(claims["iat"] as? Double))
        func verify(_ options: [String]) throws -> (status: Int32, code: String?) {
            let result = try cli.run(["token", "verify", "--jwks", "p.jwks"] + options + [token])
            return (result.status, (try? json(result.stdout)["error"] as? [String: Any])?["code"] as? String)
        }
        func at(_ offset: TimeInterval) -> String { start.addingTimeInterval(offset).formatted(.iso8601) }
        #expect(try verify(["--at", at(60)]).status == 0)
        #expect(try verify(["--at", at(600 + 20)]).status == 0, "within the default 30 s leeway")
        #expect(try verify(["--at", at(600 + 40)]).code == "expired")
        #expect(try verify(["--at", at(600 + 20), "--leeway", "0"]).code == "expired")
        #expect(try verify(["--at", at(600 + 90), "--leeway", "120"]).status == 0)
        #expect(try verify(["--at", at(-120)]).code == "notYetValid", "nbf is the issue time")
        #expect(try verify(["--at", at(60), "--max-ttl", "300"]).code == "lifetimeTooLong")
        #expect(try verify(["--at", "yesterday"]).status == 2)
        for bad in [["--leeway=inf"], ["--leeway=nan"], ["--leeway=-1"], ["--max-ttl=nan"], ["--max-ttl=inf"], ["--max-ttl=0"]] {
            #expect(try verify(["--at", at(60)] + bad).status == 2, "\(bad)")
        }

        // A key and token without kid: refused unless --allow-missing-kid.
        for name in ["s.jwk", "p.jwks"] {
            let text = try String(contentsOfFile: cli.path(name), encoding: .utf8)
            try text.replacingOccurrences(of: #""kid":"k1","#, with: "").write(toFile: cli.path(name), atomically: true, encoding: .utf8)
        }
        let unnamed = try cli.run(["token", "issue", "--key", "s.jwk", "--sub", "alice"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try cli.run(["token", "inspect", unnamed]).stdout.contains("kid") == false)
        let refused = try cli.run(["token", "verify", "--jwks", "p.jwks", unnamed])
        #expect(refused.status == 1 && refused.stdout.contains("unknownKey"), "\(refused.stdout) \(refused.stderr)")
        #expect(try cli.run(["token", "verify", "--jwks", "p.jwks", "--allow-missing-kid", unnamed]).status == 0)
    }

    @Test("apikey create, verify, revoke, list")
    func apiKeys() throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        let created = try cli.run(["apikey", "create", "--store", "keys.json", "--name", "fraud-model", "--role", "model_server", "--scope", "predict"])
        #expect(created.status == 0)
        let object = try json(created.stdout)
        let key = try #require(object["key"] as? String)
        let id = try #require((object["record"] as? [String: Any])?["id"] as? String)
        #expect(!(try String(contentsOfFile: cli.path("keys.json"), encoding: .utf8)).contains(key))
        let verified = try cli.run(["apikey", "verify", "--store", "keys.json", key])
        let verifiedRoles = try json(verified.stdout)["roles"] as? [String]
        #expect(verified.status == 0 && verifiedRoles == ["model_server"])
        #expect(try cli.run(["apikey", "verify", "--store", "keys.json", "ztk_garbage"]).status == 1)
        #expect(try cli.run(["apikey", "revoke", "--store", "keys.json", "--id", id]).status == 0)
        let revoked = try cli.run(["apikey", "verify", "--store", "keys.json", key])
        #expect(revoked.status == 1 && revoked.stdout.contains("revoked"))
        #expect(try cli.run(["apikey", "revoke", "--store", "keys.json", "--id", "ffffffffffffffff"]).status == 1)
        let listed = try cli.run(["apikey", "list", "--store", "keys.json"])
        #expect(listed.status == 0 && listed.stdout.split(separator: "\n").count == 1 && !listed.stdout.contains(key))
        try "garbage".write(toFile: cli.path("bad.json"), atomically: true, encoding: .utf8)
        #expect(try cli.run(["apikey", "list", "--store", "bad.json"]).status == 2)
    }

    @Test("apikey with a pepper file: the same pepper verifies, none or another does not")
    func apiKeysWithPepper() throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        for (name, byte) in [("pepper.key", UInt8(7)), ("other.key", UInt8(9))] {
            try Data(repeating: byte, count: 32).base64EncodedString().write(toFile: cli.path(name), atomically: true, encoding: .utf8)
        }
        let created = try cli.run(["apikey", "create", "--store", "keys.json", "--pepper-file", "pepper.key", "--name", "m"])
        #expect(created.status == 0, "\(created.stderr)")
        let key = try #require(try json(created.stdout)["key"] as? String)
        #expect(try cli.run(["apikey", "verify", "--store", "keys.json", "--pepper-file", "pepper.key", key]).status == 0)
        #expect(try cli.run(["apikey", "verify", "--store", "keys.json", key]).status == 1)
        #expect(try cli.run(["apikey", "verify", "--store", "keys.json", "--pepper-file", "other.key", key]).status == 1)
        try "short".write(toFile: cli.path("short.key"), atomically: true, encoding: .utf8)
        #expect(try cli.run(["apikey", "verify", "--store", "keys.json", "--pepper-file", "short.key", key]).status == 2)
        #expect(try cli.run(["apikey", "verify", "--store", "keys.json", "--pepper-file", "missing.key", key]).status == 2)
    }
}
