/// Something the caller must do before acting on a permit, such as `audit`.
///
/// An extensible, typed identifier: add your own with an extension,
/// `extension Obligation { static let myValue: Obligation = "my_value" }`.
public struct Obligation: PolicyIdentifier {
    /// The identifier as written in a policy file.
    public let rawValue: String
    /// Creates an identifier from its textual form.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// `audit`: record the decision durably before acting on it (set by `audit_logged: true`).
    public static let audit: Obligation = "audit"
}
