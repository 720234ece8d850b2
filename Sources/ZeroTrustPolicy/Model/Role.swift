/// A role a subject may hold, such as `data_scientist`.
///
/// An extensible, typed identifier: add your own with an extension,
/// `extension Role { static let myValue: Role = "my_value" }`.
public struct Role: RawRepresentable, Hashable, Comparable, Sendable, Codable,
    ExpressibleByStringLiteral, CustomStringConvertible
{
    /// The identifier as written in a policy file.
    public let rawValue: String
    /// Creates an identifier from its textual form.
    public init(rawValue: String) { self.rawValue = rawValue }
    /// Creates an identifier from its textual form.
    public init(_ rawValue: String) { self.rawValue = rawValue }
    /// Creates an identifier from a string literal.
    public init(stringLiteral value: String) { self.rawValue = value }
    /// Decodes the identifier from a single string.
    public init(from decoder: any Decoder) throws {
        self.rawValue = try decoder.singleValueContainer().decode(String.self)
    }
    /// Encodes the identifier as a single string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
    /// The textual form.
    public var description: String { rawValue }
    /// Orders identifiers by their textual form.
    public static func < (lhs: Role, rhs: Role) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The wildcard `"*"`: in a policy it matches every subject.
    public static let any: Role = "*"
    /// `data_scientist`.
    public static let dataScientist: Role = "data_scientist"
    /// `mlops_engineer`.
    public static let mlopsEngineer: Role = "mlops_engineer"
}
