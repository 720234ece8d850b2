/// An approval a request may carry, such as `security_team`.
///
/// An extensible, typed identifier: add your own with an extension,
/// `extension Approval { static let myValue: Approval = "my_value" }`.
public struct Approval: PolicyIdentifier {
    /// The identifier as written in a policy file.
    public let rawValue: String
    /// Creates an identifier from its textual form.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// `security_team`.
    public static let securityTeam: Approval = "security_team"
}
