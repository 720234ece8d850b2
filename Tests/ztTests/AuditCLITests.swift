import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite("zt audit")
struct AuditCLITests {
    static func line(_ subject: String, id: UUID = UUID(), decision: String = "permit", time: String? = nil) -> String {
        #"{"id":"\#(id.uuidString.lowercased())",\#(time.map { #""time":"\#($0)","# } ?? "")"type":"access","subject":"\#(subject)","roles":["ds"],"source_ip":"10.0.0.1","resource":{"type":"model","id":"m1"},"action":"read","decision":"\#(decision)"}"#
    }

    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    func setUp(_ cli: CLIHarness) throws {
        #expect(try cli.run(["audit", "keygen", "--out", "signer.pem"]).status == 0)
        #expect(try cli.run(["crypto", "keygen", "--type", "hmac-sha256", "--out", "chain.key"]).status == 0)
    }

    var recordArguments: [String] { ["audit", "record", "--log", "audit.log", "--signing-key", "signer.pem", "--hmac-key", "chain.key"] }
    var verifyArguments: [String] { ["audit", "verify", "audit.log", "--public-key", "signer.pem.pub", "--hmac-key", "chain.key"] }

    @Test("keygen, record and verify: exit 0 with counts as JSON")
    func recordAndVerify() throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        try setUp(cli)
        let mode = try FileManager.default.attributesOfItem(atPath: cli.path("signer.pem"))[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)
        let input = (0..<5).map { Self.line("user\($0)") }.joined(separator: "\n") + "\n"
        let recorded = try cli.run(recordArguments + ["--checkpoint-every", "2"], stdin: input)
        #expect(recorded.status == 0, "\(recorded.stderr)")
        let verified = try cli.run(verifyArguments)
        #expect(verified.status == 0, "\(verified.stderr)")
        let summary = try json(verified.stdout)
        #expect(summary["status"] as? String == "intact")
        #expect(summary["records"] as? Int == 5)
        #expect(summary["checkpoints"] as? Int == 4)   // creation, 2, 4, close at 5
        #expect(summary["uncheckpointed"] as? Int == 0)
        // Appending again continues the same chain.
        #expect(try cli.run(recordArguments, stdin: Self.line("user5") + "\n").status == 0)
        #expect(try json(try cli.run(verifyArguments).stdout)["records"] as? Int == 6)
    }

    @Test("verify: a tampered log exits 1 with the first bad record; bad usage exits 2")
    func tampered() throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        try setUp(cli)
        #expect(try cli.run(recordArguments, stdin: (0..<4).map { Self.line("user\($0)") }.joined(separator: "\n")).status == 0)
        var lines = try String(contentsOfFile: cli.path("audit.log"), encoding: .utf8).split(separator: "\n").map(String.init)
        lines[3] = lines[3].replacingOccurrences(of: "user2", with: "userX")
        try (lines.joined(separator: "\n") + "\n").write(toFile: cli.path("audit.log"), atomically: false, encoding: .utf8)
        let result = try cli.run(verifyArguments)
        #expect(result.status == 1)
        let error = try #require(try json(result.stdout)["error"] as? [String: Any])
        #expect(error["code"] as? String == "recordModified")
        #expect(error["record"] as? Int == 3)
        #expect(result.stderr.contains("record 3"))

        #expect(try cli.run(["audit", "verify", "missing.log", "--public-key", "signer.pem.pub"]).status == 2)
        #expect(try cli.run(["audit", "verify", "audit.log", "--public-key", "nope.pem"]).status == 2)
        #expect(try cli.run(["audit", "verify", "audit.log"]).status == 2)
    }

    @Test("record: an invalid event is rejected with its line number and nothing after it is appended")
    func invalidEvent() throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        try setUp(cli)
        let input = [Self.line("first"), Self.line("second"), #"{"type":"access","subject":"x","api_key":"sk-123"}"#, Self.line("fourth")]
            .joined(separator: "\n")
        let result = try cli.run(recordArguments, stdin: input)
        #expect(result.status == 2)
        #expect(result.stderr.contains("line 3"))
        #expect(!result.stderr.contains("sk-123"))
        let verified = try json(try cli.run(verifyArguments).stdout)
        #expect(verified["records"] as? Int == 2)
        let log = try String(contentsOfFile: cli.path("audit.log"), encoding: .utf8)
        #expect(!log.contains("fourth") && !log.contains("sk-123"))
    }

    @Test("tail prints native JSON, OCSF or CEF; detect exits 1 with alerts and 0 without")
    func tailAndDetect() throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        try setUp(cli)
        #expect(try cli.run(recordArguments, stdin: (0..<3).map { Self.line("user\($0)") }.joined(separator: "\n")).status == 0)
        let native = try cli.run(["audit", "tail", "audit.log", "--count", "2"])
        #expect(native.status == 0)
        let nativeLines = native.stdout.split(separator: "\n")
        #expect(try nativeLines.map { try json(String($0))["subject"] as? String } == ["user1", "user2"])
        let ocsf = try cli.run(["audit", "tail", "audit.log", "--format", "ocsf", "--count", "0"])
        #expect(ocsf.stdout.split(separator: "\n").count == 3)
        #expect(try json(String(ocsf.stdout.split(separator: "\n")[0]))["class_uid"] as? Int == 6003)
        let cef = try cli.run(["audit", "tail", "audit.log", "--format", "cef"])
        #expect(cef.stdout.split(separator: "\n").allSatisfy { $0.hasPrefix("CEF:0|ZeroTrustKit|ZeroTrustKit|") })
        #expect(try cli.run(["audit", "detect", "audit.log"]).status == 0)

        // Twelve denials in twelve seconds: a denied burst.
        let start = Date(timeIntervalSince1970: 1_790_000_000)
        let burstIDs = (0..<12).map { _ in UUID() }
        let burst = (0..<12).map { index in
            Self.line("mallory", id: burstIDs[index], decision: "deny", time: ISO8601DateFormatter().string(from: start.addingTimeInterval(Double(index))))
        }
        #expect(try cli.run(recordArguments, stdin: burst.joined(separator: "\n")).status == 0)
        let detected = try cli.run(["audit", "detect", "audit.log"])
        #expect(detected.status == 1)
        let alert = try json(String(try #require(detected.stdout.split(separator: "\n").first)))
        #expect(alert["type"] as? String == "alert")
        #expect(alert["detector"] as? String == "denied_burst")
        #expect(alert["subject"] as? String == "mallory")

        // --count keeps a ring of the last events: 15 events through a ring of 4 come out last four, in order.
        let lastFour = try cli.run(["audit", "tail", "audit.log", "--count", "4"]).stdout.split(separator: "\n")
        #expect(try lastFour.map { try json(String($0))["id"] as? String } == burstIDs[8...].map { $0.uuidString.lowercased() })
    }

    @Test("a recorder killed during appends never loses an acknowledged event; the log verifies up to the torn tail")
    func crashDuringAppends() throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        try setUp(cli)
        var acknowledged: [String] = []
        var generator = SystemRandomNumberGenerator()
        for round in 0..<6 {
            let process = Process()
            process.executableURL = try CLIHarness.executable
            process.arguments = recordArguments + ["--acknowledge", "--recover-torn-tail", "--checkpoint-every", "7"]
            process.currentDirectoryURL = cli.directory
            let input = Pipe(), output = Pipe()
            process.standardInput = input
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            try process.run()
            let reader = output.fileHandleForReading
            var buffer = ""
            var acksThisRound = 0
            let target = Int.random(in: 10...40, using: &generator)
            var pending: [String] = []
            // Send one event at a time and collect its acknowledgement …
            while acksThisRound < target {
                let id = UUID().uuidString.lowercased()
                pending.append(id)
                input.fileHandleForWriting.write(Data((Self.line("round\(round)", id: UUID(uuidString: id) ?? UUID()) + "\n").utf8))
                while !buffer.contains("\n") {
                    let data = reader.availableData
                    if data.isEmpty { break }
                    buffer += String(decoding: data, as: UTF8.self)
                }
                while let newline = buffer.firstIndex(of: "\n") {
                    let ackLine = buffer[..<newline]
                    buffer.removeSubrange(...newline)
                    if ackLine.hasPrefix("{\"ack\":") { acknowledged.append(pending.removeFirst()); acksThisRound += 1 }
                }
            }
            // … then flood it with more and kill it mid-stream.
            let flood = (0..<200).map { _ in Self.line("flood\(round)") }.joined(separator: "\n") + "\n"
            input.fileHandleForWriting.write(Data(flood.utf8))
            usleep(UInt32.random(in: 0...3_000, using: &generator))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            try? input.fileHandleForWriting.close()

            let verified = try cli.run(verifyArguments)
            if verified.status != 0 {
                // Only a torn tail is acceptable after a kill, and everything before it verified.
                let error = try #require(try json(verified.stdout)["error"] as? [String: Any])
                #expect(error["code"] as? String == "tornTail", "round \(round): \(verified.stdout)")
            }
            let log = try String(contentsOfFile: cli.path("audit.log"), encoding: .utf8)
            let missing = acknowledged.filter { !log.contains($0) }
            #expect(missing.isEmpty, "round \(round): acknowledged events missing: \(missing.prefix(3))")
        }
        // A clean run after the crashes recovers any torn tail and closes with a checkpoint.
        #expect(try cli.run(recordArguments + ["--recover-torn-tail"], stdin: Self.line("final") + "\n").status == 0)
        let final = try cli.run(verifyArguments)
        #expect(final.status == 0, "\(final.stdout)")
        #expect(try json(final.stdout)["uncheckpointed"] as? Int == 0)
        #expect((try json(final.stdout)["records"] as? Int ?? 0) > acknowledged.count)
    }
}
