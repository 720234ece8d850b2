import Foundation
import ZeroTrustCrypto

/// Encodes events as OCSF 1.7.0 JSON objects, validated in the tests against the official schemas:
///
/// | Event | OCSF class |
/// |---|---|
/// | access decision | API Activity (6003); decision and policy in `actor.authorizations` |
/// | authentication | Authentication (3002), activity Logon |
/// | key operation, policy load, token issue/revoke, log recovery | Entity Management (3004) |
/// | alert | Detection Finding (2004) |
///
/// Fields OCSF has no place for (roles, obligations, the credential fingerprint) go to `unmapped`.
public struct OCSFEncoder: AuditEventEncoder {
    /// The OCSF schema version written in `metadata.version`.
    public static let schemaVersion = "1.7.0"

    /// Creates the encoder.
    public init() {}

    /// The event as one OCSF object.
    public func encode(_ event: AuditEvent) -> [UInt8] {
        JSONWriter.withStackBuffer { writer in
            write(event, into: &writer)
            return writer.bytes
        }
    }

    private func write(_ event: AuditEvent, into w: inout JSONWriter) {
        w.beginObject()
        switch event.payload {
        case .access(let e):
            let activity = Self.apiActivity(e.action)
            header(&w, event, categoryUID: 6, classUID: 6003, activity: activity,
                   severity: e.decision == .permit ? 1 : 3, succeeded: e.decision == .permit)
            w.key("actor")
            w.beginObject()
            user(&w, e.subject)
            w.key("authorizations")
            w.beginArray()
            w.beginObject()
            w.field("decision", e.decision.rawValue)
            if let policyID = e.policyID {
                w.key("policy")
                w.beginObject()
                w.field("uid", policyID)
                w.field("name", policyID)
                w.field("version", e.policyVersion)
                w.endObject()
            }
            w.endObject()
            w.endArray()
            w.endObject()
            w.key("api")
            w.beginObject()
            w.field("operation", e.action)
            w.endObject()
            endpoint(&w, e.sourceIP)
            w.key("resources")
            w.beginArray()
            w.beginObject()
            w.field("type", e.resourceType)
            w.field("uid", e.resourceID)
            if let sensitivity = e.sensitivity { w.field("labels", [sensitivity]) }
            w.endObject()
            w.endArray()
            w.field("message", e.reason)
            w.key("unmapped")
            w.beginObject()
            w.field("roles", e.roles)
            w.field("obligations", e.obligations)
            w.field("policy_version", e.policyVersion)
            w.field("bytes", e.bytes)
            w.endObject()
        case .authentication(let e):
            header(&w, event, categoryUID: 3, classUID: 3002, activity: (1, "Logon"),
                   severity: e.outcome == .success ? 1 : 3, succeeded: e.outcome == .success)
            w.field("status_detail", e.failureCode)
            w.key("user")
            w.beginObject()
            w.field("name", e.subject ?? "unknown")
            w.endObject()
            w.key("service")
            w.beginObject()
            w.field("name", "ZeroTrustKit")
            w.endObject()
            endpoint(&w, e.sourceIP)
            w.key("unmapped")
            w.beginObject()
            w.field("method", e.method.rawValue)
            w.field("credential", e.credential?.rawValue)
            w.endObject()
        case .key(let e):
            let activity: (Int, String) = switch e.operation {
            case .generate: (1, "Create")
            case .unwrap: (2, "Read")
            case .rotate: (3, "Update")
            case .destroy: (4, "Delete")
            }
            header(&w, event, categoryUID: 3, classUID: 3004, activity: activity, severity: e.succeeded ? 1 : 3, succeeded: e.succeeded)
            entity(&w, uid: e.keyID, name: e.keyID, type: "key", version: nil, data: e.context)
            actor(&w, e.subject)
        case .policyLoad(let e):
            header(&w, event, categoryUID: 3, classUID: 3004, activity: (3, "Update"), severity: e.succeeded ? 1 : 3, succeeded: e.succeeded)
            entity(&w, uid: e.digest, name: e.source, type: "policy_set", version: e.version,
                   data: ["policy_count": String(e.policyCount)])
            actor(&w, e.subject)
        case .token(let e):
            let activity: (Int, String) = e.action == .issued ? (1, "Create") : (4, "Delete")
            header(&w, event, categoryUID: 3, classUID: 3004, activity: activity, severity: 1, succeeded: true)
            var data: [String: String] = [:]
            data["audience"] = e.audience
            data["scopes"] = e.scopes.isEmpty ? nil : e.scopes.joined(separator: " ")
            data["fingerprint"] = e.fingerprint?.rawValue
            data["expires_at"] = e.expiresAt.map(RFC3339.format)
            entity(&w, uid: e.tokenID, name: "token", type: "token", version: nil, data: data)
            actor(&w, e.subject)
        case .logRecovery(let e):
            header(&w, event, categoryUID: 3, classUID: 3004, activity: (99, "Other"), severity: 3, succeeded: true)
            entity(&w, uid: nil, name: "audit log", type: "log", version: nil,
                   data: ["byte_offset": String(e.byteOffset), "discarded_bytes": String(e.discardedBytes),
                          "discarded_digest": e.discardedDigest])
            w.field("message", "an incomplete final line left by a crash was discarded")
        case .alert(let e):
            let severity = switch e.severity { case .low: 2; case .medium: 3; case .high: 4 }
            header(&w, event, categoryUID: 2, classUID: 2004, activity: (1, "Create"), severity: severity, succeeded: nil)
            w.key("finding_info")
            w.beginObject()
            w.field("uid", event.id.uuidString.lowercased())
            w.field("title", e.summary)
            w.field("types", [e.detector])
            w.endObject()
            w.field("message", e.summary)
            w.key("unmapped")
            w.beginObject()
            w.field("detector", e.detector)
            w.field("subject", e.subject)
            w.field("source_ip", e.sourceIP)
            w.field("evidence", e.evidence.map { $0.uuidString.lowercased() })
            w.endObject()
        }
        w.endObject()
    }

    private static func apiActivity(_ action: String) -> (Int, String) {
        switch action.lowercased() {
        case "create", "write", "upload", "put", "post": (1, "Create")
        case "read", "get", "list", "download", "infer", "predict": (2, "Read")
        case "update", "patch", "train", "finetune": (3, "Update")
        case "delete", "remove": (4, "Delete")
        default: (99, "Other")
        }
    }

    private func header(_ w: inout JSONWriter, _ event: AuditEvent, categoryUID: Int, classUID: Int, activity: (Int, String),
                        severity: Int, succeeded: Bool?) {
        w.field("category_uid", categoryUID)
        w.field("class_uid", classUID)
        w.field("activity_id", activity.0)
        w.field("activity_name", activity.1)
        w.field("type_uid", classUID * 100 + activity.0)
        w.field("severity_id", severity)
        w.field("time", Int64((event.time.timeIntervalSince1970 * 1000).rounded(.down)))
        if let succeeded {
            w.field("status_id", succeeded ? 1 : 2)
            w.field("status", succeeded ? "Success" : "Failure")
        }
        w.key("metadata")
        w.beginObject()
        w.field("version", Self.schemaVersion)
        w.field("uid", event.id.uuidString.lowercased())
        w.field("sequence", event.sequence)
        w.key("product")
        w.beginObject()
        w.field("name", "ZeroTrustKit")
        w.field("vendor_name", "ZeroTrustKit")
        w.field("version", LibraryVersions.zeroTrustKit)
        w.endObject()
        w.endObject()
    }

    private func user(_ w: inout JSONWriter, _ subject: String) {
        w.key("user")
        w.beginObject()
        w.field("name", subject)
        w.field("uid", subject)
        w.endObject()
    }

    private func actor(_ w: inout JSONWriter, _ subject: String?) {
        guard let subject else { return }
        w.key("actor")
        w.beginObject()
        user(&w, subject)
        w.endObject()
    }

    private func endpoint(_ w: inout JSONWriter, _ ip: String?) {
        w.key("src_endpoint")
        w.beginObject()
        if let ip { w.field("ip", ip) } else { w.field("name", "unknown") }
        w.endObject()
    }

    private func entity(_ w: inout JSONWriter, uid: String?, name: String, type: String, version: String?, data: [String: String]) {
        w.key("entity")
        w.beginObject()
        w.field("uid", uid)
        w.field("name", name)
        w.field("type", type)
        w.field("version", version)
        if !data.isEmpty {
            w.key("data")
            w.beginObject()
            for key in data.keys.sorted() {
                w.dynamicKey(key)
                w.string(data[key] ?? "")
            }
            w.endObject()
        }
        w.endObject()
    }
}
