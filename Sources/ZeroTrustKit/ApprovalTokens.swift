public import Foundation

/// Signed approvals: short-lived JWTs with header `typ` `approval+jwt`, signed by the key of the
/// approver configured for one approval name (for example `security_team`), and scoped by claims
/// to one subject, action and resource id:
///
/// ```json
/// {"sub": "bob", "approval": "security_team", "action": "deploy_model", "resource_id": "fraud-v3", "exp": …}
/// ```
///
/// Only an approval that verifies under its name's keys and matches the request exactly reaches
/// the policy request; anything else is ignored (the policy then sees no such approval).
public struct ApprovalTokens: Sendable {
    /// The JOSE `typ` approval tokens carry; bearer-token verification refuses it.
    public static let type = "approval+jwt"
    /// Verifiers per approval name.
    private let verifiers: [Approval: TokenVerifier]

    /// Approvals verified with `keyRings[name]`; tokens may live at most `maximumLifetime` seconds.
    /// Give the approvers' public keys: with an HMAC secret, whoever holds this gatekeeper's
    /// configuration could mint approvals (`zt.yaml` refuses HMAC approver keys).
    public init(keyRings: [Approval: KeyRing], maximumLifetime: TimeInterval = 900,
                clock: @escaping @Sendable () -> Date = { Date() }) {
        let options = TokenValidationOptions(maximumLifetime: maximumLifetime, requiredClaims: ["sub", "iat"],
                                             acceptedTypes: [Self.type], allowsMissingType: false, clock: clock)
        verifiers = keyRings.mapValues { TokenVerifier(keyRing: $0, options: options) }
    }

    /// Issues an approval token with `issuer` (whose key ring holds the approver's signing key).
    public static func issue(using issuer: TokenIssuer, approval: Approval, subject: String, action: Action,
                             resourceID: String, lifetime: TimeInterval = 300) throws(TokenError) -> String {
        try issuer.issue(subject: subject, lifetime: lifetime,
                         custom: ["approval": .string(approval.rawValue), "action": .string(action.rawValue),
                                  "resource_id": .string(resourceID)],
                         type: type)
    }

    /// The approvals among `tokens` that are valid and scoped to exactly this subject, action and
    /// resource id. Invalid tokens are dropped, never thrown.
    nonisolated(nonsending) public func approvals(in tokens: [String], subject: String, action: Action, resourceID: String) async -> [Approval] {
        var granted: [Approval] = []
        for token in tokens {
            for (approval, verifier) in verifiers where !granted.contains(approval) {
                guard let verified = try? await verifier.verify(token) else { continue }
                let claims = verified.claims
                if claims.subject == subject, claims.custom["approval"]?.stringValue == approval.rawValue,
                   claims.custom["action"]?.stringValue == action.rawValue,
                   claims.custom["resource_id"]?.stringValue == resourceID {
                    granted.append(approval)
                }
            }
        }
        return granted
    }
}
