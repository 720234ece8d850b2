import Foundation
import Testing

@Suite("zt version and zt crypto")
struct CryptoCLITests {
    @Test("zt version prints the library and C library versions, as text and JSON")
    func version() throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        let text = try cli.run(["version"])
        #expect(text.status == 0)
        #expect(text.stdout.contains("ZeroTrustKit ") && text.stdout.contains("OpenSSL 3.") && text.stdout.contains("libsodium: 1."))
        let json = try cli.run(["version", "--json"])
        #expect(json.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: String])
        #expect(object["openssl"]?.hasPrefix("OpenSSL 3.") == true)
        #expect(object["libsodium"] != nil && object["zerotrustkit"] != nil)
    }

    @Test("seal and open round trip; a wrong AAD or key exits 1 and writes nothing", arguments: ["aes-256-gcm", "chacha20-poly1305", "xchacha20-poly1305"])
    func sealOpen(algorithm: String) throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        #expect(try cli.run(["crypto", "keygen", "--type", algorithm, "--out", "k"]).status == 0)
        let mode = try FileManager.default.attributesOfItem(atPath: cli.path("k"))[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)
        try Data("weights".utf8).write(to: URL(fileURLWithPath: cli.path("plain")))
        #expect(try cli.run(["crypto", "seal", "--key", "k", "--algorithm", algorithm, "--aad", "m1", "plain", "sealed"]).status == 0)
        #expect(try cli.run(["crypto", "open", "--key", "k", "--algorithm", algorithm, "--aad", "m1", "sealed", "out"]).status == 0)
        #expect(try String(contentsOfFile: cli.path("out"), encoding: .utf8) == "weights")

        let wrongAAD = try cli.run(["crypto", "open", "--key", "k", "--algorithm", algorithm, "--aad", "m2", "sealed", "out2"])
        #expect(wrongAAD.status == 1)
        #expect(wrongAAD.stderr.hasPrefix("zt: ") && wrongAAD.stderr.contains("did not authenticate"))
        #expect(!FileManager.default.fileExists(atPath: cli.path("out2")))
        #expect(try cli.run(["crypto", "keygen", "--type", algorithm, "--out", "k2"]).status == 0)
        #expect(try cli.run(["crypto", "open", "--key", "k2", "--algorithm", algorithm, "--aad", "m1", "sealed", "out3"]).status == 1)
        #expect(!FileManager.default.fileExists(atPath: cli.path("out3")))
    }

    @Test("sign and verify with every signing key type", arguments: ["ed25519", "p256", "p384", "rsa2048"])
    func signVerify(type: String) throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        #expect(try cli.run(["crypto", "keygen", "--type", type, "--out", "sk.pem", "--public-out", "pk.pem"]).status == 0)
        try Data("model".utf8).write(to: URL(fileURLWithPath: cli.path("m")))
        let signed = try cli.run(["crypto", "sign", "--key", "sk.pem", "m"])
        #expect(signed.status == 0)
        let signature = signed.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let valid = try cli.run(["crypto", "verify", "--public-key", "pk.pem", "--signature=\(signature)", "--json", "m"])
        #expect(valid.status == 0 && valid.stdout == "{\"valid\":true}\n")
        try Data("tampered".utf8).write(to: URL(fileURLWithPath: cli.path("m")))
        let invalid = try cli.run(["crypto", "verify", "--public-key", "pk.pem", "--signature=\(signature)", "m"])
        #expect(invalid.status == 1 && invalid.stdout == "invalid\n")
    }

    @Test("bad usage and unreadable input exit 2 with one line on stderr")
    func badInput() throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        let missingKey = try cli.run(["crypto", "sign", "--key", "nope.pem", "x"])
        #expect(missingKey.status == 2 && missingKey.stderr.hasPrefix("zt: ") && missingKey.stderr.filter { $0 == "\n" }.count == 1)
        #expect(try cli.run(["crypto", "seal"]).status == 2)
        #expect(try cli.run(["crypto", "keygen", "--type", "rsa1024", "--out", "x"]).status == 2)
        #expect(try cli.run(["no-such-command"]).status == 2)
        try "not a key".write(toFile: cli.path("junk.pem"), atomically: true, encoding: .utf8)
        let junk = try cli.run(["crypto", "sign", "--key", "junk.pem", "junk.pem"])
        #expect(junk.status == 2 && junk.stderr.contains("junk.pem"))
        #expect(try cli.run(["--help"]).status == 0)
    }
}
