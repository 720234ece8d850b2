import Foundation

/// The native JSON schema, one compact object per event with keys in a fixed order (see
/// Documentation/AuditEvents.md). Deterministic: the same event always gives the same bytes.
///
/// ```swift
/// let line = JSONLinesEncoder().encode(event)   // {"v":1,"id":"…","time":"…","seq":1,"type":"access",…}
/// ```
public struct JSONLinesEncoder: AuditEventEncoder {
    /// The schema version written in the `v` field.
    public static let schemaVersion = 1

    /// Creates the encoder.
    public init() {}

    /// The event as one JSON object.
    public func encode(_ event: AuditEvent) -> [UInt8] {
        JSONWriter.withStackBuffer { writer in
            Self.write(event, into: &writer)
            return writer.bytes
        }
    }

    static func write(_ event: AuditEvent, into w: inout JSONWriter) {
        w.beginObject()
        w.field("v", schemaVersion)
        w.key("id")
        w.uuid(event.id)
        w.key("time")
        w.timestamp(event.time)
        w.field("seq", event.sequence)
        w.field("type", event.payload.typeName)
        switch event.payload {
        case .access(let e):
            w.field("subject", e.subject)
            w.field("roles", e.roles)
            w.field("source_ip", e.sourceIP)
            w.key("resource")
            w.beginObject()
            w.field("type", e.resourceType)
            w.field("id", e.resourceID)
            w.field("sensitivity", e.sensitivity)
            w.endObject()
            w.field("action", e.action)
            w.field("decision", e.decision.rawValue)
            w.field("policy_id", e.policyID)
            w.field("policy_version", e.policyVersion)
            w.field("reason", e.reason)
            w.field("obligations", e.obligations)
            w.field("bytes", e.bytes)
        case .authentication(let e):
            w.field("subject", e.subject)
            w.field("method", e.method.rawValue)
            w.field("outcome", e.outcome.rawValue)
            w.field("failure_code", e.failureCode)
            w.field("source_ip", e.sourceIP)
            w.field("credential", e.credential?.rawValue)
        case .token(let e):
            w.field("action", e.action.rawValue)
            w.field("subject", e.subject)
            w.field("token_id", e.tokenID)
            w.field("fingerprint", e.fingerprint?.rawValue)
            w.field("audience", e.audience)
            w.field("scopes", e.scopes)
            w.field("expires_at", e.expiresAt.map(RFC3339.format))
        case .key(let e):
            w.field("operation", e.operation.rawValue)
            w.field("key_id", e.keyID)
            w.key("context")
            w.beginObject()
            for name in e.context.keys.sorted() {
                w.dynamicKey(name)
                w.string(e.context[name] ?? "")
            }
            w.endObject()
            w.field("subject", e.subject)
            w.field("succeeded", e.succeeded)
        case .policyLoad(let e):
            w.field("source", e.source)
            w.field("version", e.version)
            w.field("policy_count", e.policyCount)
            w.field("digest", e.digest)
            w.field("subject", e.subject)
            w.field("succeeded", e.succeeded)
        case .alert(let e):
            w.field("detector", e.detector)
            w.field("severity", e.severity.rawValue)
            w.field("summary", e.summary)
            w.field("subject", e.subject)
            w.field("source_ip", e.sourceIP)
            w.field("evidence", e.evidence.map { $0.uuidString.lowercased() })
        case .logRecovery(let e):
            w.field("byte_offset", e.byteOffset)
            w.field("discarded_bytes", e.discardedBytes)
            w.field("discarded_digest", e.discardedDigest)
        }
        w.endObject()
    }
}
