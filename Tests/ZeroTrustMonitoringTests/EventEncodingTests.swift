import Foundation
import Testing
import ZeroTrustCrypto
@testable import ZeroTrustMonitoring

@Suite("Audit events and encoders")
struct EventEncodingTests {
    let redactor = AuditRedactor(key: SymmetricKey(size: .bits256))

    @Test("every event kind survives a native JSON round trip")
    func roundTrip() throws {
        for (index, payload) in try Samples.everyKind(redactor: redactor).enumerated() {
            let event = AuditEvent(time: Samples.base.addingTimeInterval(Double(index) + 0.123456), sequence: UInt64(index + 1), payload: payload)
            let line = JSONLinesEncoder().encode(event)
            #expect(!line.contains(UInt8(ascii: "\n")))
            let decoded = try JSONLinesDecoder().decode(line)
            #expect(decoded == event, "kind \(payload.typeName)")
            #expect(JSONLinesEncoder().encode(decoded) == line, "encoding is deterministic")
        }
    }

    @Test("timestamps are RFC 3339 UTC with microseconds")
    func timestamps() throws {
        let event = AuditEvent(time: Date(timeIntervalSince1970: 1_790_000_000.25), payload: Samples.access())
        let object = try #require(try JSONSerialization.jsonObject(with: Data(JSONLinesEncoder().encode(event))) as? [String: Any])
        #expect(object["time"] as? String == "2026-09-21T14:13:20.250000Z")
        #expect(RFC3339.parse("2026-09-21T14:13:20.250000Z") == Date(timeIntervalSince1970: 1_790_000_000.25))
        #expect(RFC3339.parse("2026-09-21T14:13:20Z") == Date(timeIntervalSince1970: 1_790_000_000))
        #expect(RFC3339.parse("2026-02-30T00:00:00Z") == nil)
        #expect(RFC3339.parse("2026-09-21T14:13:20+02:00") == nil)
        #expect(RFC3339.parse("2026-09-21 14:13:20Z") == nil)
        #expect(object["id"] as? String == event.id.uuidString.lowercased())
    }

    @Test("the allocation-free timestamp writer agrees with gmtime over two centuries")
    func timestampWriter() {
        var random = SeededGenerator(state: 42)
        let samples = [0.0, 951_782_400, 4_107_542_399.999999, 1_709_164_800.5] + (0..<2000).map { _ in
            Double.random(in: -2_208_988_800...4_102_444_800, using: &random)
        }
        for seconds in samples {
            let date = Date(timeIntervalSince1970: seconds)
            var writer = JSONWriter(reservingCapacity: 64)
            writer.timestamp(date)
            #expect(String(decoding: writer.bytes, as: UTF8.self) == "\"" + RFC3339.format(date) + "\"", "\(seconds)")
        }
    }

    @Test("secrets appear only as keyed fingerprints")
    func fingerprints() throws {
        let first = try redactor.fingerprint(of: "sk-live-123")
        #expect(first == (try redactor.fingerprint(of: "sk-live-123")))
        #expect(first != (try redactor.fingerprint(of: "sk-live-124")))
        #expect(first != (try AuditRedactor(key: SymmetricKey(size: .bits256)).fingerprint(of: "sk-live-123")))
        #expect(first.rawValue.hasPrefix("hmac:") && first.rawValue.count == 69)
        let event = AuditEvent(time: Samples.base, payload: .authentication(AuthenticationEvent(
            subject: "svc", method: .apiKey, outcome: .success, credential: first)))
        for encoder in [JSONLinesEncoder(), OCSFEncoder(), CEFEncoder()] as [any AuditEventEncoder] {
            #expect(!String(decoding: encoder.encode(event), as: UTF8.self).contains("sk-live-123"))
        }
        #expect(SecretFingerprint(validating: "sk-live-123") == nil)
        #expect(SecretFingerprint(validating: "hmac:" + String(repeating: "A", count: 64)) == nil)
    }

    @Test("the decoder rejects malformed events and names the field", arguments: [
        (#"{"type":"access","subject":"a","resource":{"type":"m","id":"1"},"action":"read","decision":"maybe"}"#, "decision"),
        (#"{"type":"access","subject":"a","resource":{"type":"m","id":"1"},"action":"read","decision":"permit","token":"x"}"#, "token"),
        (#"{"type":"access","subject":"a","resource":{"type":"m"},"action":"read","decision":"permit"}"#, "resource.id"),
        (#"{"type":"authentication","method":"token","outcome":"failure","credential":"eyJhbGciOi"}"#, "credential"),
        (#"{"type":"key","operation":"generate","key_id":"k","succeeded":1}"#, "succeeded"),
        (#"{"type":"policy_load","source":"p","policy_count":"12"}"#, "policy_count"),
        (#"{"type":"token","action":"issued","subject":"a","expires_at":"tomorrow"}"#, "expires_at"),
        (#"{"v":2,"type":"token","action":"issued","subject":"a"}"#, "version"),
        (#"{"type":"nope"}"#, "nope"),
        (#"[1,2]"#, "object"),
        (#"{"type":"access""#, "object"),
    ])
    func rejects(line: String, field: String) {
        #expect {
            _ = try JSONLinesDecoder().decode(Array(line.utf8))
        } throws: { error in
            guard let error = error as? AuditError else { return false }
            return error.code == .invalidEvent && error.message.contains(field)
        }
    }

    @Test("JSON strings are escaped")
    func escaping() throws {
        let event = AuditEvent(time: Samples.base, payload: .policyLoad(PolicyLoadEvent(source: "a\"b\\c\nd\u{1}é", policyCount: 1)))
        let decoded = try JSONLinesDecoder().decode(JSONLinesEncoder().encode(event))
        guard case .policyLoad(let load) = decoded.payload else { Issue.record("wrong kind"); return }
        #expect(load.source == "a\"b\\c\nd\u{1}é")
    }

    @Test("events longer than the stack buffer and strings full of escapes encode as on the heap, and decode back")
    func longEventsOutgrowTheStackBuffer() throws {
        // Reasons from empty to several stack buffers long, with escapes at the edges and inside,
        // so that growth from the stack to the heap happens before, inside and after an escape.
        let piece = "q\"b\\n\n\u{1}é" + String(repeating: "x", count: 37)
        for length in [0, 1, 600, 1000, 1100, 3000, 9000] {
            let reason = String(String(repeating: piece, count: length / piece.count + 1).prefix(length))
            let event = AuditEvent(time: Samples.base, sequence: 7, payload: .access(AccessEvent(
                subject: "alice", resourceType: "model", resourceID: "fraud-v3", action: "read", decision: .deny, reason: reason)))
            let encoded = JSONLinesEncoder().encode(event)
            var heap = JSONWriter(reservingCapacity: 16)
            JSONLinesEncoder.write(event, into: &heap)
            #expect(encoded == heap.bytes, "length \(length)")
            #expect(try JSONLinesDecoder().decode(encoded) == event, "length \(length)")
            #expect(encoded.count > length, "length \(length)")
        }
    }

    @Test("the eight-bytes-at-a-time scan finds the same byte to escape as a byte-by-byte scan")
    func escapeScan() throws {
        // Every special byte (and harmless neighbours such as 0x20, 0x21, 0x23, 0x5b, 0x5d, 0x7f,
        // UTF-8 lead and continuation bytes) at every position of strings up to 40 bytes long.
        let fillers: [UInt8] = [0x20, 0x21, 0x23, 0x41, 0x5b, 0x5d, 0x7f, 0x80, 0xc3, 0xa9, 0xff]
        let specials: [UInt8] = [0x00, 0x01, 0x09, 0x0a, 0x1f, 0x22, 0x5c]
        var generator = SystemRandomNumberGenerator()
        for length in 0...40 {
            for position in -1..<length {
                for special in specials {
                    var bytes = (0..<length).map { _ in fillers.randomElement(using: &generator) ?? 0x41 }
                    if position >= 0 { bytes[position] = special }
                    for start in Set([0, max(0, position), length]) {
                        let expected = bytes[start...].firstIndex { $0 < 0x20 || $0 == 0x22 || $0 == 0x5c } ?? length
                        let found = bytes.withUnsafeBufferPointer { JSONWriter.firstByteToEscape(in: $0, from: start) }
                        #expect(found == expected, "\(bytes) from \(start)")
                    }
                }
            }
        }
    }

    @Test("CEF escapes header and extension values")
    func cef() {
        let event = AuditEvent(time: Date(timeIntervalSince1970: 1_790_000_000.5), sequence: 9, payload: .access(AccessEvent(
            subject: "a=b", resourceType: "model", resourceID: "x|y", action: "read", decision: .deny, reason: "line1\nline2\\")))
        let line = String(decoding: CEFEncoder().encode(event), as: UTF8.self)
        #expect(line.hasPrefix("CEF:0|ZeroTrustKit|ZeroTrustKit|\(LibraryVersions.zeroTrustKit)|access:deny|Access denied|6|rt=1790000000500 "))
        #expect(line.contains(#"suser=a\=b"#))
        #expect(line.contains(#"msg=line1\nline2\\"#))
        #expect(line.contains("request=model/x|y"))
        #expect(line.contains("cn1Label=seq cn1=9"))
        #expect(!line.contains("\n"))
        #expect(!line.contains("cs2Label"), "labels only with a value")
        let alert = AuditEvent(time: Samples.base, payload: .alert(Alert(detector: "d|x", severity: .high, summary: "s\\t")))
        #expect(String(decoding: CEFEncoder().encode(alert), as: UTF8.self).contains(#"|alert:d\|x|s\\t|9|"#))
    }

    @Test("OCSF classes and activities follow the mapping")
    func ocsfMapping() throws {
        let cases: [(AuditEvent.Payload, Int, Int)] = [
            (Samples.access(), 6003, 2),
            (Samples.failedLogin("a", ip: "1.2.3.4"), 3002, 1),
            (.key(KeyEvent(operation: .destroy, keyID: "k")), 3004, 4),
            (.policyLoad(PolicyLoadEvent(source: "p", policyCount: 1)), 3004, 3),
            (.alert(Alert(detector: "x", severity: .low, summary: "s")), 2004, 1),
        ]
        for (payload, classUID, activity) in cases {
            let data = Data(OCSFEncoder().encode(AuditEvent(time: Samples.base, payload: payload)))
            let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            #expect(object["class_uid"] as? Int == classUID)
            #expect(object["activity_id"] as? Int == activity)
            #expect(object["type_uid"] as? Int == classUID * 100 + activity)
            #expect(object["time"] as? Int == 1_790_000_000_000)
        }
        let deny = Data(OCSFEncoder().encode(AuditEvent(time: Samples.base, payload: Samples.access(decision: .deny))))
        let actor = try #require((try JSONSerialization.jsonObject(with: deny) as? [String: Any])?["actor"] as? [String: Any])
        let authorization = try #require((actor["authorizations"] as? [[String: Any]])?.first)
        #expect(authorization["decision"] as? String == "deny")
        #expect((authorization["policy"] as? [String: Any])?["uid"] as? String == "models-read")
    }
}
