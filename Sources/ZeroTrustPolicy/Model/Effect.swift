/// Whether a policy grants (`permit`) or forbids (`deny`) what it matches.
public enum Effect: String, Sendable, Hashable, Codable, CaseIterable {
    /// Grants access when the policy applies and its conditions hold (the default).
    case permit
    /// Forbids access when the policy applies and its conditions hold; overrides every permit.
    case deny
}
