/// A role a subject may hold, such as `data_scientist`.
///
/// An extensible, typed identifier: add your own with an extension,
/// `extension Role { static let myValue: Role = "my_value" }`.
public struct Role: PolicyIdentifier {
    /// The identifier as written in a policy file.
    public let rawValue: String
    /// Creates an identifier from its textual form.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// The wildcard `"*"`: in a policy it matches every subject.
    public static let any: Role = "*"
    /// `data_scientist`.
    public static let dataScientist: Role = "data_scientist"
    /// `mlops_engineer`.
    public static let mlopsEngineer: Role = "mlops_engineer"
}
