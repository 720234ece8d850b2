/// An approval a request may carry, such as `security_team`.
///
/// An extensible, typed identifier: add your own with an extension,
/// `extension Approval { static let myValue: Approval = "my_value" }`.
public struct Approval: RawRepresentable, Hashable, Comparable, Sendable, Codable,
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
    public static func < (lhs: Approval, rhs: Approval) -> Bool { lhs.rawValue < rhs.rawValue }

    /// `security_team`.
    public static let securityTeam: Approval = "security_team"
}
