public import Foundation

/// Reads the native JSON schema back into ``AuditEvent``s, strictly: unknown fields, wrong types,
/// unknown enum values, a secret-looking credential that is not an `hmac:` fingerprint, or a
/// version other than 1 are errors that name the field.
///
/// `id`, `time` and `seq` may be omitted (e.g. by producers feeding `zt audit record`): a missing
/// `id` becomes a random UUID, `time` the `now` given to ``decode(_:now:)``, and `seq` 0 (a
/// recording log assigns its own sequence anyway).
public struct JSONLinesDecoder: Sendable {
    /// Creates the decoder.
    public init() {}

    /// Decodes one line. `now` supplies the time when the line has none.
    public func decode(_ line: some Collection<UInt8>, now: @autoclosure () -> Date = Date()) throws -> AuditEvent {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(line), options: [])
        } catch {
            throw AuditError(code: .invalidEvent, message: "not a JSON object")
        }
        guard let dictionary = object as? [String: Any] else {
            throw AuditError(code: .invalidEvent, message: "not a JSON object")
        }
        return try decode(object: dictionary, now: now())
    }

    func decode(object: [String: Any], now: Date) throws -> AuditEvent {
        var fields = Fields(object)
        if let version = try fields.optionalInt("v"), version != JSONLinesEncoder.schemaVersion {
            throw AuditError(code: .invalidEvent, message: "unsupported event schema version \(version) (this reader knows 1)")
        }
        let id = try fields.optionalString("id").map { text in
            guard let id = UUID(uuidString: text) else { throw AuditError(code: .invalidEvent, message: "field id is not a UUID") }
            return id
        } ?? UUID()
        let time = try fields.optionalDate("time") ?? now
        let sequence = try fields.optionalInt("seq").map { value -> UInt64 in
            guard value >= 0 else { throw AuditError(code: .invalidEvent, message: "field seq is negative") }
            return UInt64(value)
        } ?? 0
        let type = try fields.string("type")
        let payload: AuditEvent.Payload
        switch type {
        case "access":
            var resource = Fields(try fields.object("resource"), path: "resource.")
            let event = AccessEvent(
                subject: try fields.string("subject"), roles: try fields.stringArray("roles"),
                sourceIP: try fields.optionalString("source_ip"),
                resourceType: try resource.string("type"), resourceID: try resource.string("id"),
                sensitivity: try resource.optionalString("sensitivity"), action: try fields.string("action"),
                decision: try fields.enumeration("decision"), policyID: try fields.optionalString("policy_id"),
                policyVersion: try fields.optionalString("policy_version"), reason: try fields.optionalString("reason"),
                obligations: try fields.stringArray("obligations"), bytes: try fields.optionalInt("bytes"))
            try resource.rejectUnknown()
            payload = .access(event)
        case "authentication":
            payload = .authentication(AuthenticationEvent(
                subject: try fields.optionalString("subject"), method: try fields.enumeration("method"),
                outcome: try fields.enumeration("outcome"), failureCode: try fields.optionalString("failure_code"),
                sourceIP: try fields.optionalString("source_ip"), credential: try fields.fingerprint("credential")))
        case "token":
            payload = .token(TokenEvent(
                action: try fields.enumeration("action"), subject: try fields.string("subject"),
                tokenID: try fields.optionalString("token_id"), fingerprint: try fields.fingerprint("fingerprint"),
                audience: try fields.optionalString("audience"), scopes: try fields.stringArray("scopes"),
                expiresAt: try fields.optionalDate("expires_at")))
        case "key":
            let context = try fields.optionalObject("context") ?? [:]
            var strings: [String: String] = [:]
            for (name, value) in context {
                guard let value = value as? String else {
                    throw AuditError(code: .invalidEvent, message: "field context.\(name) is not a string")
                }
                strings[name] = value
            }
            payload = .key(KeyEvent(
                operation: try fields.enumeration("operation"), keyID: try fields.string("key_id"), context: strings,
                subject: try fields.optionalString("subject"), succeeded: try fields.optionalBool("succeeded") ?? true))
        case "policy_load":
            payload = .policyLoad(PolicyLoadEvent(
                source: try fields.string("source"), version: try fields.optionalString("version"),
                policyCount: try fields.optionalInt("policy_count") ?? 0, digest: try fields.optionalString("digest"),
                subject: try fields.optionalString("subject"), succeeded: try fields.optionalBool("succeeded") ?? true))
        case "alert":
            let evidence = try fields.stringArray("evidence").map { text in
                guard let id = UUID(uuidString: text) else {
                    throw AuditError(code: .invalidEvent, message: "field evidence holds a value that is not a UUID")
                }
                return id
            }
            payload = .alert(Alert(
                detector: try fields.string("detector"), severity: try fields.enumeration("severity"),
                summary: try fields.string("summary"), subject: try fields.optionalString("subject"),
                sourceIP: try fields.optionalString("source_ip"), evidence: evidence))
        case "log_recovery":
            payload = .logRecovery(LogRecoveryEvent(
                byteOffset: try fields.optionalInt("byte_offset") ?? 0, discardedBytes: try fields.optionalInt("discarded_bytes") ?? 0,
                discardedDigest: try fields.string("discarded_digest")))
        default:
            throw AuditError(code: .invalidEvent, message: "unknown event type \"\(type.prefix(40))\"")
        }
        try fields.rejectUnknown()
        return AuditEvent(id: id, time: time, sequence: sequence, payload: payload)
    }
}

/// Typed, consuming access to a JSON object's fields, so unknown leftovers can be rejected.
private struct Fields {
    private var remaining: [String: Any]
    private let path: String

    init(_ object: [String: Any], path: String = "") {
        remaining = object
        self.path = path
    }

    private func invalid(_ name: String, _ what: String) -> AuditError {
        AuditError(code: .invalidEvent, message: "field \(path)\(name) \(what)")
    }

    private mutating func take(_ name: String) -> Any? {
        guard let value = remaining.removeValue(forKey: name), !(value is NSNull) else { return nil }
        return value
    }

    mutating func optionalString(_ name: String) throws -> String? {
        guard let value = take(name) else { return nil }
        guard let text = value as? String else { throw invalid(name, "is not a string") }
        return text
    }

    mutating func string(_ name: String) throws -> String {
        guard let text = try optionalString(name) else { throw invalid(name, "is missing") }
        return text
    }

    mutating func optionalInt(_ name: String) throws -> Int? {
        guard let value = take(name) else { return nil }
        // JSONSerialization gives NSNumber for both numbers and booleans; refuse booleans and fractions.
        guard let number = value as? NSNumber, !Self.isBoolean(number),
              let integer = Int(exactly: number.doubleValue) else {
            throw invalid(name, "is not an integer")
        }
        return integer
    }

    mutating func optionalBool(_ name: String) throws -> Bool? {
        guard let value = take(name) else { return nil }
        guard let number = value as? NSNumber, Self.isBoolean(number) else {
            throw invalid(name, "is not a boolean")
        }
        return number.boolValue
    }

    /// JSON `true`/`false` arrive as NSNumber with Objective-C type `c`; numbers never do.
    private static func isBoolean(_ number: NSNumber) -> Bool { String(cString: number.objCType) == "c" }

    mutating func optionalDate(_ name: String) throws -> Date? {
        guard let text = try optionalString(name) else { return nil }
        guard let date = RFC3339.parse(text) else { throw invalid(name, "is not an RFC 3339 UTC time (…Z)") }
        return date
    }

    mutating func stringArray(_ name: String) throws -> [String] {
        guard let value = take(name) else { return [] }
        guard let array = value as? [Any], let strings = array as? [String], strings.count == array.count else {
            throw invalid(name, "is not an array of strings")
        }
        return strings
    }

    mutating func optionalObject(_ name: String) throws -> [String: Any]? {
        guard let value = take(name) else { return nil }
        guard let object = value as? [String: Any] else { throw invalid(name, "is not an object") }
        return object
    }

    mutating func object(_ name: String) throws -> [String: Any] {
        guard let object = try optionalObject(name) else { throw invalid(name, "is missing") }
        return object
    }

    mutating func enumeration<T: RawRepresentable & CaseIterable>(_ name: String) throws -> T where T.RawValue == String {
        let text = try string(name)
        guard let value = T(rawValue: text) else {
            throw invalid(name, "must be one of \(T.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return value
    }

    /// Secrets must arrive already redacted: anything but `hmac:<64 hex>` is refused, so a raw
    /// token pasted into the field never reaches the log.
    mutating func fingerprint(_ name: String) throws -> SecretFingerprint? {
        guard let text = try optionalString(name) else { return nil }
        guard let fingerprint = SecretFingerprint(validating: text) else {
            throw invalid(name, "must be a keyed fingerprint (hmac: followed by 64 hex digits), never a raw secret")
        }
        return fingerprint
    }

    func rejectUnknown() throws {
        if let name = remaining.keys.sorted().first {
            throw AuditError(code: .invalidEvent, message: "unknown field \(path)\(name.prefix(40))")
        }
    }
}
