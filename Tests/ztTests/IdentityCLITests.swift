import Foundation
import Testing

@Suite("zt ca and zt cert")
struct IdentityCLITests {
    func json(_ text: String) throws -> [String: Any] {
        let line = try #require(text.split(separator: "\n").first)
        return try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    /// A CA with an intermediate and an X509-SVID client leaf, in a fresh directory.
    func setUp() throws -> CLIHarness {
        let cli = try CLIHarness()
        #expect(try cli.run(["ca", "init", "--dir", "ca", "--name", "Dev", "--intermediate"]).status == 0)
        let issued = try cli.run(["ca", "issue", "--dir", "ca", "--cn", "alice", "--org", "Corp", "--ou", "ML", "--ou", "Data",
                                  "--spiffe-id", "spiffe://corp.example/ml/alice", "--days", "10",
                                  "--out-cert", "alice.pem", "--out-key", "alice-key.pem"])
        #expect(issued.status == 0, "\(issued.stderr)")
        return cli
    }

    @Test("init and issue write 0600 keys; verify prints the identity and exits 0")
    func happyPath() throws {
        let cli = try setUp()
        defer { cli.remove() }
        for key in ["ca/root-key.pem", "ca/intermediate-key.pem", "alice-key.pem"] {
            let mode = try FileManager.default.attributesOfItem(atPath: cli.path(key))[.posixPermissions] as? NSNumber
            #expect(mode?.intValue == 0o600, "\(key)")
        }
        let verified = try cli.run(["cert", "verify", "--ca", "ca/root.pem", "--trust-domain", "corp.example", "alice.pem"])
        #expect(verified.status == 0, "\(verified.stdout) \(verified.stderr)")
        let identity = try json(verified.stdout)
        #expect(identity["commonName"] as? String == "alice")
        #expect(identity["organizationalUnits"] as? [String] == ["ML", "Data"])
        #expect(identity["spiffeID"] as? String == "spiffe://corp.example/ml/alice")
        #expect((identity["chain"] as? [String])?.count == 3)

        let inspected = try cli.run(["cert", "inspect", "alice.pem"])
        #expect(inspected.status == 0)
        let lines = inspected.stdout.split(separator: "\n")
        #expect(lines.count == 2)
        let leaf = try json(inspected.stdout)
        #expect(leaf["subject"] as? String == "CN=alice,OU=Data,OU=ML,O=Corp")
        #expect(leaf["extendedKeyUsage"] as? [String] == ["clientAuth"])
        #expect(leaf["subjectAlternativeNames"] as? [String] == ["URI:spiffe://corp.example/ml/alice"])
        #expect(leaf["sha256Fingerprint"] as? String == identity["sha256Fingerprint"] as? String)
    }

    @Test("invalid chains exit 1 with {\"error\":{code,message,…}} on stdout")
    func rejections() throws {
        let cli = try setUp()
        defer { cli.remove() }
        #expect(try cli.run(["ca", "init", "--dir", "other", "--name", "Other"]).status == 0)
        let notAfter = try #require(try json(cli.run(["cert", "inspect", "alice.pem"]).stdout)["notAfter"] as? String)
        let notAfterDate = try #require(ISO8601DateFormatter().date(from: notAfter))
        let cases: [([String], String)] = [
            (["--ca", "other/root.pem"], "untrustedRoot"),
            (["--ca", "ca/root.pem", "--purpose", "server"], "wrongPurpose"),
            (["--ca", "ca/root.pem", "--trust-domain", "other.example"], "invalidSPIFFEID"),
            (["--ca", "ca/root.pem", "--max-depth", "0"], "depthExceeded"),
            (["--ca", "ca/root.pem", "--at", String(Int(notAfterDate.timeIntervalSince1970) + 1)], "expired"),
            (["--ca", "ca/root.pem", "--at", "2000-01-01T00:00:00Z"], "notYetValid"),
        ]
        for (arguments, code) in cases {
            let result = try cli.run(["cert", "verify"] + arguments + ["alice.pem"])
            #expect(result.status == 1, "\(arguments)")
            let error = try #require(try json(result.stdout)["error"] as? [String: Any])
            #expect(error["code"] as? String == code, "\(arguments): \(result.stdout)")
            #expect(error["message"] is String)
        }
        // Exactly at notAfter is still valid (RFC 5280).
        let atEnd = try cli.run(["cert", "verify", "--ca", "ca/root.pem", "--at", notAfter, "alice.pem"])
        #expect(atEnd.status == 0, "\(atEnd.stdout)")
    }

    @Test("server certificates: host names and IPs from subjectAltName")
    func server() throws {
        let cli = try setUp()
        defer { cli.remove() }
        #expect(try cli.run(["ca", "issue", "--dir", "ca", "--cn", "api.corp.example", "--dns", "api.corp.example", "--ip", "10.1.2.3",
                             "--server", "--key-type", "ed25519", "--out-cert", "api.pem", "--out-key", "api-key.pem"]).status == 0)
        for name in ["api.corp.example", "10.1.2.3"] {
            #expect(try cli.run(["cert", "verify", "--ca", "ca/root.pem", "--purpose", "server", "--hostname", name, "api.pem"]).status == 0)
        }
        let mismatch = try cli.run(["cert", "verify", "--ca", "ca/root.pem", "--purpose", "server", "--hostname", "web.corp.example", "api.pem"])
        #expect(mismatch.status == 1)
        #expect(try (json(mismatch.stdout)["error"] as? [String: Any])?["code"] as? String == "hostnameMismatch")
    }

    @Test("--crl with CRLs made by `openssl ca`: clean, revoked leaf, missing CRL")
    func crls() throws {
        let cli = try setUp()
        defer { cli.remove() }
        try Data("[ca]\ndefault_ca = dev\n[dev]\ndatabase = index.txt\ncrlnumber = crlnumber\ndefault_md = sha256\ndefault_crl_days = 7\n".utf8)
            .write(to: URL(fileURLWithPath: cli.path("ca.cnf")))
        func openssl(_ arguments: [String]) throws {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["openssl"] + arguments
            process.currentDirectoryURL = cli.directory
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            try #require(process.terminationStatus == 0, "openssl \(arguments)")
        }
        func crl(issuer: String, revoking: String?, out: String) throws {
            try Data().write(to: URL(fileURLWithPath: cli.path("index.txt")))
            try Data("01\n".utf8).write(to: URL(fileURLWithPath: cli.path("crlnumber")))
            let base = ["ca", "-config", "ca.cnf", "-keyfile", "ca/\(issuer)-key.pem", "-cert", "ca/\(issuer).pem"]
            if let revoking { try openssl(base + ["-revoke", revoking]) }
            try openssl(base + ["-gencrl", "-out", out])
        }
        try crl(issuer: "root", revoking: nil, out: "root.crl")
        try crl(issuer: "intermediate", revoking: nil, out: "int-clean.crl")
        try crl(issuer: "intermediate", revoking: "alice.pem", out: "int-revoked.crl")

        let clean = try cli.run(["cert", "verify", "--ca", "ca/root.pem", "--crl", "root.crl", "--crl", "int-clean.crl", "alice.pem"])
        #expect(clean.status == 0, "\(clean.stdout)")
        let revoked = try cli.run(["cert", "verify", "--ca", "ca/root.pem", "--crl", "root.crl", "--crl", "int-revoked.crl", "alice.pem"])
        #expect(revoked.status == 1)
        let error = try #require(try json(revoked.stdout)["error"] as? [String: Any])
        #expect(error["code"] as? String == "revoked")
        #expect(error["certificateIndex"] as? Int == 0)
        let missing = try cli.run(["cert", "verify", "--ca", "ca/root.pem", "--crl", "int-clean.crl", "alice.pem"])
        #expect(missing.status == 1)
        #expect(try (json(missing.stdout)["error"] as? [String: Any])?["code"] as? String == "revocationUnknown")
    }

    @Test("bad usage and unreadable or malformed input exit 2")
    func badInput() throws {
        let cli = try setUp()
        defer { cli.remove() }
        try Data("garbage".utf8).write(to: URL(fileURLWithPath: cli.path("garbage.pem")))
        let cases: [[String]] = [
            ["cert", "verify", "--ca", "ca/root.pem", "missing.pem"],
            ["cert", "verify", "--ca", "missing.pem", "alice.pem"],
            ["cert", "verify", "--ca", "ca/root.pem", "garbage.pem"],
            ["cert", "verify", "--ca", "ca/root.pem", "--crl", "garbage.pem", "alice.pem"],
            ["cert", "verify", "--ca", "ca/root.pem", "--hostname", "x", "alice.pem"],
            ["cert", "verify", "--ca", "ca/root.pem", "--at", "yesterday", "alice.pem"],
            ["cert", "verify", "--ca", "ca/root.pem", "--at", "99999999999999", "alice.pem"],
            ["cert", "verify", "--ca", "ca/root.pem", "--trust-domain", "Corp.Example", "alice.pem"],
            ["cert", "inspect", "alice-key.pem"],
            ["ca", "init", "--dir", "ca", "--name", "Again"],
            ["ca", "issue", "--dir", "ca", "--cn", "x", "--dns", "a,DNS:b", "--out-cert", "x.pem", "--out-key", "x-key.pem"],
            ["ca", "issue", "--dir", "ca", "--cn", "x", "--spiffe-id", "spiffe://corp.example/a/", "--out-cert", "x.pem", "--out-key", "x-key.pem"],
            ["ca", "issue", "--dir", "nowhere", "--cn", "x", "--out-cert", "x.pem", "--out-key", "x-key.pem"],
        ]
        for arguments in cases {
            let result = try cli.run(arguments)
            #expect(result.status == 2, "\(arguments): \(result.stdout) \(result.stderr)")
            #expect(!result.stderr.isEmpty)
        }
        #expect(!FileManager.default.fileExists(atPath: cli.path("x-key.pem")))
    }

    @Test("--help of each command has examples")
    func help() throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        for command in [["ca", "init"], ["ca", "issue"], ["cert", "inspect"], ["cert", "verify"]] {
            let result = try cli.run(command + ["--help"])
            #expect(result.status == 0)
            #expect(result.stdout.contains("zt \(command.joined(separator: " "))"))
        }
    }
}
