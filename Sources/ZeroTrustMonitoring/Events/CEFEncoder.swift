import Foundation
import ZeroTrustCrypto

/// Encodes events as ArcSight Common Event Format lines:
/// `CEF:0|ZeroTrustKit|ZeroTrustKit|<version>|<signature id>|<name>|<severity 0–10>|<extensions>`.
///
/// Header fields escape `\` and `|`; extension values escape `\`, `=` and line breaks, as the CEF
/// specification requires. Signature ids are `access:permit`, `access:deny`, `authentication:success`,
/// `authentication:failure`, `token:issued`, `token:revoked`, `key:<operation>`, `policy_load`,
/// `alert:<detector>` and `log_recovery`.
public struct CEFEncoder: AuditEventEncoder {
    /// Creates the encoder.
    public init() {}

    /// The event as one CEF line.
    public func encode(_ event: AuditEvent) -> [UInt8] {
        var extensions: [(String, String)] = [
            ("rt", String(Int64((event.time.timeIntervalSince1970 * 1000).rounded(.down)))),
            ("externalId", event.id.uuidString.lowercased()),
            ("cn1Label", "seq"), ("cn1", String(event.sequence)),
        ]
        func add(_ key: String, _ value: String?) { if let value { extensions.append((key, value)) } }
        // Custom fields (cs1…, cn2…) come with a label naming them; both only when there is a value.
        func addLabeled(_ key: String, _ label: String, _ value: String?) {
            if let value { extensions.append((key + "Label", label)); extensions.append((key, value)) }
        }
        let signature: String, name: String, severity: Int
        switch event.payload {
        case .access(let e):
            (signature, name, severity) = ("access:\(e.decision.rawValue)", "Access \(e.decision == .permit ? "permitted" : "denied")",
                                           e.decision == .permit ? 3 : 6)
            add("suser", e.subject); add("src", e.sourceIP); add("act", e.action)
            add("outcome", e.decision.rawValue); add("request", "\(e.resourceType)/\(e.resourceID)")
            addLabeled("cs1", "policyId", e.policyID)
            addLabeled("cs2", "policyVersion", e.policyVersion)
            addLabeled("cs3", "roles", e.roles.joined(separator: ","))
            addLabeled("cs4", "sensitivity", e.sensitivity)
            add("msg", e.reason)
            add("in", e.bytes.map(String.init))
        case .authentication(let e):
            (signature, name, severity) = ("authentication:\(e.outcome.rawValue)",
                                           "Authentication \(e.outcome == .success ? "succeeded" : "failed")", e.outcome == .success ? 3 : 6)
            add("suser", e.subject); add("src", e.sourceIP); add("outcome", e.outcome.rawValue)
            addLabeled("cs1", "method", e.method.rawValue)
            add("reason", e.failureCode)
            addLabeled("cs2", "credential", e.credential?.rawValue)
        case .token(let e):
            (signature, name, severity) = ("token:\(e.action.rawValue)", "Token \(e.action.rawValue)", 3)
            add("suser", e.subject); addLabeled("cs1", "tokenId", e.tokenID)
            addLabeled("cs2", "audience", e.audience)
            addLabeled("cs3", "fingerprint", e.fingerprint?.rawValue)
        case .key(let e):
            (signature, name, severity) = ("key:\(e.operation.rawValue)", "Key \(e.operation.rawValue)", e.succeeded ? 3 : 6)
            add("suser", e.subject); addLabeled("cs1", "keyId", e.keyID)
            add("outcome", e.succeeded ? "success" : "failure")
            addLabeled("cs2", "context", e.context.isEmpty ? nil : e.context.keys.sorted().map { "\($0)=\(e.context[$0] ?? "")" }.joined(separator: ","))
        case .policyLoad(let e):
            (signature, name, severity) = ("policy_load", "Policy set loaded", e.succeeded ? 3 : 6)
            add("suser", e.subject); add("fname", e.source); addLabeled("cs1", "version", e.version)
            addLabeled("cn2", "policyCount", String(e.policyCount)); add("fileHash", e.digest)
            add("outcome", e.succeeded ? "success" : "failure")
        case .alert(let e):
            let level = switch e.severity { case .low: 4; case .medium: 7; case .high: 9 }
            (signature, name, severity) = ("alert:\(e.detector)", e.summary, level)
            add("suser", e.subject); add("src", e.sourceIP)
            addLabeled("cs1", "evidence", e.evidence.map { $0.uuidString.lowercased() }.joined(separator: ","))
        case .logRecovery(let e):
            (signature, name, severity) = ("log_recovery", "Incomplete log line discarded after a crash", 7)
            addLabeled("cn2", "byteOffset", String(e.byteOffset))
            addLabeled("cn3", "discardedBytes", String(e.discardedBytes))
            add("fileHash", e.discardedDigest)
        }
        let header = ["ZeroTrustKit", "ZeroTrustKit", LibraryVersions.zeroTrustKit, signature, name].map(Self.escapeHeader)
        let body = extensions.map { "\($0.0)=\(Self.escapeExtension($0.1))" }.joined(separator: " ")
        return Array("CEF:0|\(header.joined(separator: "|"))|\(severity)|\(body)".utf8)
    }

    static func escapeHeader(_ value: String) -> String {
        guard value.utf8.contains(where: { $0 == 0x5c || $0 == 0x7c || $0 == 0x0a || $0 == 0x0d }) else { return value }
        return value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "|", with: "\\|")
            .replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
    }

    static func escapeExtension(_ value: String) -> String {
        guard value.utf8.contains(where: { $0 == 0x5c || $0 == 0x3d || $0 == 0x0a || $0 == 0x0d }) else { return value }
        return value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "=", with: "\\=")
            .replacingOccurrences(of: "\r\n", with: "\\n").replacingOccurrences(of: "\n", with: "\\n")
            .replacingOccurrences(of: "\r", with: "\\r")
    }
}
