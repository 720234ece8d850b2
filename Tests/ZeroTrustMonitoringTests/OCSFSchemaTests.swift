import Foundation
import Testing
import ZeroTrustCrypto
@testable import ZeroTrustMonitoring

/// Validates OCSF output against the official OCSF 1.7.0 JSON schemas with Python
/// (`ocsf-json-schema` + `jsonschema`, installed by scripts/setup.sh). Missing packages fail the test.
@Suite("OCSF schema validation")
struct OCSFSchemaTests {
    @Test("every event kind validates against its OCSF 1.7.0 class schema")
    func validates() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let redactor = AuditRedactor(key: SymmetricKey(size: .bits256))
        let payloads = try Samples.everyKind(redactor: redactor)
        var text = ""
        for (index, payload) in payloads.enumerated() {
            let event = AuditEvent(time: Samples.base, sequence: UInt64(index + 1), payload: payload)
            text += String(decoding: OCSFEncoder().encode(event), as: UTF8.self) + "\n"
        }
        let eventsPath = directory.path("events.jsonl")
        try text.write(toFile: eventsPath, atomically: true, encoding: .utf8)
        let script = try #require(Bundle.module.path(forResource: "validate_ocsf", ofType: "py", inDirectory: "Fixtures"),
                                  "the validator script is bundled")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, eventsPath]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let report = String(decoding: data, as: UTF8.self)
        #expect(process.terminationStatus != 3, "Python OCSF validator packages missing (run scripts/setup.sh): \(report)")
        #expect(process.terminationStatus == 0, "OCSF validation failed:\n\(report)")
        let verdicts = report.split(separator: "\n").filter { $0.hasPrefix("ok ") }
        #expect(verdicts.count == payloads.count, "one verdict per event:\n\(report)")
        #expect(Set(verdicts.map { String($0.dropFirst(3)) }) == ["6003", "3002", "3004", "2004"])
    }

    @Test("the validator rejects an invalid event (so a pass means something)")
    func validatorRejects() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("bad.jsonl")
        // API Activity without the required actor and api.
        try #"{"class_uid":6003,"category_uid":6,"activity_id":2,"type_uid":600302,"severity_id":1,"time":1,"metadata":{"version":"1.7.0","product":{"name":"x"}},"src_endpoint":{"ip":"1.2.3.4"}}"#
            .appending("\n").write(toFile: path, atomically: true, encoding: .utf8)
        let script = try #require(Bundle.module.path(forResource: "validate_ocsf", ofType: "py", inDirectory: "Fixtures"))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 1)
    }
}
