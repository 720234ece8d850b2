public import Foundation

/// The result of ``Gatekeeper/authorize(credential:action:resource:context:)``.
public struct AccessOutcome: Sendable {
    /// The final decision: the policy decision, or a denial the gatekeeper substituted
    /// (`authentication_failed`, `audit_unavailable` or `grant_unavailable`). Carries the
    /// explanation when one was requested and the policy engine was consulted.
    public let decision: Decision
    /// The authenticated subject, or nil when authentication failed.
    public let subject: String?
    /// The stable error code of the authentication failure (`expired`, `revoked`, …), if any.
    public let authenticationFailure: String?
    /// A token for ``subject``, scoped to the granted action and resource, when granted.
    public let token: String?
    /// When ``token`` expires.
    public let tokenExpiresAt: Date?
    /// The id of the audit event recording this outcome (nil when auditing is disabled or the
    /// event could not be recorded).
    public let auditEventID: UUID?

    /// Whether the request may proceed.
    public var granted: Bool { decision.authorized }
}
