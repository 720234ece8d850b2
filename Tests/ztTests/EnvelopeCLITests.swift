import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite("zt kms, encrypt, decrypt, rewrap, envelope inspect")
struct EnvelopeCLITests {
    /// A keyring in `keys` with key `ds`, master key in `m.key`.
    static func keyring(_ cli: CLIHarness) throws -> [String] {
        #expect(try cli.run(["crypto", "keygen", "--type", "aes-256-gcm", "--out", "m.key"]).status == 0)
        let master = ["--master-key-file", "m.key"]
        #expect(try cli.run(["kms", "init", "--dir", "keys"] + master).status == 0)
        #expect(try cli.run(["kms", "create-key", "--dir", "keys", "--key-id", "ds"] + master).status == 0)
        return master
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test("encrypt, inspect, decrypt with and without context, ranges", arguments: ["aes-256-gcm", "xchacha20-poly1305"])
    func roundTrip(algorithm: String) throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        let master = try Self.keyring(cli)
        let plaintext = Data((0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 7) })
        try plaintext.write(to: URL(fileURLWithPath: cli.path("plain")))
        let encrypted = try cli.run(["encrypt", "--kms-dir", "keys", "--key-id", "ds", "--context", "data_id=ds-1",
                                     "--context", "data_type=train", "--algorithm", algorithm, "--segment-size", "4096",
                                     "plain", "env"] + master)
        #expect(encrypted.status == 0, "\(encrypted.stderr)")

        let inspect = try cli.run(["envelope", "inspect", "env"])
        #expect(inspect.status == 0)
        let header = try Self.json(inspect.stdout)
        #expect(header["algorithm"] as? String == algorithm && header["segmentSize"] as? Int == 4096)
        #expect(header["keyID"] as? String == "ds" && header["keyVersion"] as? Int == 1 && header["plaintextLength"] as? Int == 300_000)
        #expect(header["context"] as? [String: String] == ["data_id": "ds-1", "data_type": "train"])

        #expect(try cli.run(["decrypt", "--kms-dir", "keys", "env", "out"] + master).status == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: cli.path("out"))) == plaintext)
        let withContext = try cli.run(["decrypt", "--kms-dir", "keys", "--context", "data_type=train", "--context", "data_id=ds-1",
                                       "env", "out2"] + master)
        #expect(withContext.status == 0)
        let range = try cli.run(["decrypt", "--kms-dir", "keys", "--range", "4000-12345", "env", "slice"] + master)
        #expect(range.status == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: cli.path("slice"))) == plaintext[4000...12345])

        let wrongContext = try cli.run(["decrypt", "--kms-dir", "keys", "--context", "data_id=ds-2", "env", "bad"] + master)
        #expect(wrongContext.status == 1 && wrongContext.stderr.contains("contextMismatch"))
        #expect(!FileManager.default.fileExists(atPath: cli.path("bad")))
        let partialContext = try cli.run(["decrypt", "--kms-dir", "keys", "--context", "data_id=ds-1", "env", "bad"] + master)
        #expect(partialContext.status == 1)
        #expect(!FileManager.default.fileExists(atPath: cli.path("bad")))
    }

    @Test("a tampered or truncated envelope exits 1 and leaves no output; bad usage exits 2")
    func failures() throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        let master = try Self.keyring(cli)
        try Data((0..<50_000).map { UInt8(truncatingIfNeeded: $0) }).write(to: URL(fileURLWithPath: cli.path("plain")))
        #expect(try cli.run(["encrypt", "--kms-dir", "keys", "--key-id", "ds", "--segment-size", "1024", "plain", "env"] + master).status == 0)
        var sealed = try Data(contentsOf: URL(fileURLWithPath: cli.path("env")))
        sealed[sealed.count - 3] ^= 0x40   // last segment: every earlier one would decrypt fine
        try sealed.write(to: URL(fileURLWithPath: cli.path("tampered")))
        try sealed.prefix(sealed.count - 1040).write(to: URL(fileURLWithPath: cli.path("truncated")))
        for input in ["tampered", "truncated"] {
            let result = try cli.run(["decrypt", "--kms-dir", "keys", input, "out"] + master)
            #expect(result.status == 1, "\(input): \(result.stderr)")
            #expect(result.stderr.hasPrefix("zt: ") && result.stderr.contains("segment"))
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: cli.directory.path).filter { $0.hasPrefix("out") }
            #expect(leftovers.isEmpty, "\(input) left \(leftovers)")
        }
        // Another keyring (wrong key) → 1.
        #expect(try cli.run(["crypto", "keygen", "--type", "aes-256-gcm", "--out", "m2.key"]).status == 0)
        #expect(try cli.run(["kms", "init", "--dir", "keys2", "--master-key-file", "m2.key"]).status == 0)
        #expect(try cli.run(["kms", "create-key", "--dir", "keys2", "--key-id", "ds", "--master-key-file", "m2.key"]).status == 0)
        #expect(try cli.run(["decrypt", "--kms-dir", "keys2", "--master-key-file", "m2.key", "env", "out"]).status == 1)
        // Wrong master key for the keyring → 1; usage and I/O → 2.
        #expect(try cli.run(["kms", "list", "--dir", "keys", "--master-key-file", "m2.key"]).status == 1)
        #expect(try cli.run(["decrypt", "--kms-dir", "keys", "missing", "out"] + master).status == 2)
        #expect(try cli.run(["decrypt", "--kms-dir", "keys", "--range", "9-2", "env", "out"] + master).status == 2)
        #expect(try cli.run(["encrypt", "--kms-dir", "keys", "--key-id", "ds", "--context", "novalue", "plain", "x"] + master).status == 2)
        #expect(try cli.run(["encrypt", "--kms-dir", "keys", "--key-id", "ds", "--segment-size", "3", "plain", "x"] + master).status == 2)
        #expect(try cli.run(["kms", "list", "--dir", "keys"], environment: ["ZT_KMS_PASSPHRASE": ""]).status == 2)
        #expect(try cli.run(["encrypt", "--kms-dir", "keys", "--key-id", "ds", "plain"] + master).status == 2)
        #expect(!FileManager.default.fileExists(atPath: cli.path("out")))
    }

    @Test("passphrase keyrings: ZT_KMS_PASSPHRASE, recorded Argon2id costs, wrong passphrase exits 1")
    func passphrase() throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        let good = ["ZT_KMS_PASSPHRASE": "correct horse battery"]
        let cheap = ["--argon2-iterations", "1", "--argon2-memory-kib", "64"]
        #expect(try cli.run(["kms", "init", "--dir", "keys"] + cheap, environment: good).status == 0)
        #expect(try cli.run(["kms", "create-key", "--dir", "keys", "--key-id", "k", "--algorithm", "xchacha20-poly1305"], environment: good).status == 0)
        try Data("weights".utf8).write(to: URL(fileURLWithPath: cli.path("plain")))
        #expect(try cli.run(["encrypt", "--kms-dir", "keys", "--key-id", "k", "plain", "env"], environment: good).status == 0)
        let wrong = try cli.run(["decrypt", "--kms-dir", "keys", "env", "out"], environment: ["ZT_KMS_PASSPHRASE": "wrong"])
        #expect(wrong.status == 1 && wrong.stderr.contains("wrongMasterKey") && wrong.stderr.contains("passphrase"))
        #expect(!FileManager.default.fileExists(atPath: cli.path("out")))
        #expect(try cli.run(["decrypt", "--kms-dir", "keys", "env", "out"], environment: good).status == 0)
        #expect(try String(contentsOfFile: cli.path("out"), encoding: .utf8) == "weights")
    }

    @Test("rotate, list (no secrets), rewrap, disable the old version")
    func rotateAndRewrap() throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        let master = try Self.keyring(cli)
        try Data(repeating: 7, count: 10_000).write(to: URL(fileURLWithPath: cli.path("plain")))
        #expect(try cli.run(["encrypt", "--kms-dir", "keys", "--key-id", "ds", "plain", "env"] + master).status == 0)
        #expect(try cli.run(["kms", "rotate", "--dir", "keys", "--key-id", "ds"] + master).status == 0)
        let list = try cli.run(["kms", "list", "--dir", "keys"] + master)
        #expect(list.status == 0 && !list.stdout.contains("material"))
        let keys = try #require(try Self.json(list.stdout)["keys"] as? [[String: Any]])
        #expect(keys.first?["primaryVersion"] as? Int == 2 && (keys.first?["versions"] as? [Any])?.count == 2)
        let rewrap = try cli.run(["rewrap", "--kms-dir", "keys", "env"] + master)
        #expect(rewrap.status == 0 && rewrap.stdout == "{\"keyID\":\"ds\",\"keyVersion\":2}\n")
        #expect(try cli.run(["kms", "disable", "--dir", "keys", "--key-id", "ds", "--version", "1"] + master).status == 0)
        #expect(try cli.run(["decrypt", "--kms-dir", "keys", "env", "out"] + master).status == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: cli.path("out"))) == Data(repeating: 7, count: 10_000))
        #expect(try cli.run(["kms", "destroy", "--dir", "keys", "--key-id", "ds"] + master).status == 0)
        #expect(try cli.run(["decrypt", "--kms-dir", "keys", "env", "out3"] + master).status == 1)
    }

    @Test("crash safety: killing `zt kms rotate` at random moments never breaks the keyring")
    func crashSafety() throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        let master = try Self.keyring(cli)
        try Data((0..<5000).map { UInt8(truncatingIfNeeded: $0 &* 13) }).write(to: URL(fileURLWithPath: cli.path("plain")))
        var envelopes: [String] = []
        var lastPrimary = 1
        var generator = SystemRandomNumberGenerator()
        let deadline = Date().addingTimeInterval(20)
        var kills = 0
        for iteration in 0..<60 where Date() < deadline {
            if iteration % 6 == 0 {
                let name = "env\(iteration)"
                #expect(try cli.run(["encrypt", "--kms-dir", "keys", "--key-id", "ds", "plain", name] + master).status == 0)
                envelopes.append(name)
            }
            // Rotate in a loop in a child process and kill it at a random moment.
            let process = Process()
            process.executableURL = try CLIHarness.executable
            process.arguments = ["kms", "rotate", "--dir", "keys", "--key-id", "ds", "--count", "100000"] + master
            process.currentDirectoryURL = cli.directory
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            usleep(UInt32.random(in: 5_000...60_000, using: &generator))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            if process.terminationReason == .uncaughtSignal { kills += 1 }

            let list = try cli.run(["kms", "list", "--dir", "keys"] + master)
            #expect(list.status == 0, "iteration \(iteration): keyring does not open: \(list.stderr)")
            let key = try #require((try Self.json(list.stdout)["keys"] as? [[String: Any]])?.first)
            let primary = try #require(key["primaryVersion"] as? Int)
            #expect(primary >= lastPrimary, "the keyring went back from version \(lastPrimary) to \(primary)")
            lastPrimary = primary
            if let name = envelopes.randomElement(using: &generator) {
                let result = try cli.run(["decrypt", "--kms-dir", "keys", name, "check"] + master)
                #expect(result.status == 0, "iteration \(iteration): \(name) no longer decrypts: \(result.stderr)")
            }
        }
        #expect(kills >= 10, "too few kills landed while rotating (\(kills))")
        #expect(lastPrimary > 1, "no rotation completed at all")
        for name in envelopes {
            #expect(try cli.run(["decrypt", "--kms-dir", "keys", name, "final-\(name)"] + master).status == 0, "\(name)")
        }
    }
}
