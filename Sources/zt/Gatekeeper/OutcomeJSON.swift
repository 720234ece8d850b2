import Foundation
import ZeroTrustKit

/// The JSON form of an ``AccessOutcome`` printed by `zt authorize` (sorted keys, one line).
enum OutcomeJSON {
    static func object(_ outcome: AccessOutcome) -> [String: Any] {
        let decisionObject: Any
        if let data = try? JSONEncoder().encode(outcome.decision), let object = try? JSONSerialization.jsonObject(with: data) {
            decisionObject = object
        } else {
            decisionObject = ["authorized": outcome.decision.authorized]
        }
        return [
            "granted": outcome.granted,
            "subject": outcome.subject ?? NSNull(),
            "decision": decisionObject,
            "authentication_failure": outcome.authenticationFailure ?? NSNull(),
            "token": outcome.token ?? NSNull(),
            "token_expires_at": outcome.tokenExpiresAt.map { $0.formatted(.iso8601) } ?? NSNull(),
            "audit_event_id": outcome.auditEventID?.uuidString.lowercased() ?? NSNull(),
        ]
    }

    static func line(_ outcome: AccessOutcome) -> String { JSONOutput.line(object(outcome)) }
}
