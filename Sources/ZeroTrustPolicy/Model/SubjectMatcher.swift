/// The `subjects` of a policy: `role` entries are alternatives, `approval` entries are requirements.
///
/// The subject matches when it holds any listed role (`"*"` matches any subject) **and** the
/// request carries every listed approval. With no role listed the policy matches no one.
public struct SubjectMatcher: Hashable, Sendable {
    /// Alternatives: any one held by the subject suffices.
    public var roles: [Role]
    /// Requirements: every one must be present on the request.
    public var approvals: [Approval]

    /// Creates a matcher.
    public init(roles: [Role], approvals: [Approval] = []) {
        self.roles = roles
        self.approvals = approvals
    }

    /// Whether `subject` matches.
    public func matches(_ subject: AccessRequest.Subject) -> Bool {
        let roleOK = roles.contains { role in role == .any || subject.roles.contains(role) }
        return roleOK && approvals.allSatisfy { subject.approvals.contains($0) }
    }
}
