/// Something the caller must do before acting on a permit, such as `audit`.
///
/// An extensible, typed identifier: add your own with an extension,
/// `extension Obligation { static let myValue: Obligation = "my_value" }`.
public struct Obligation: RawRepresentable, Hashable, Comparable, Sendable, Codable,
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
    public static func < (lhs: Obligation, rhs: Obligation) -> Bool { lhs.rawValue < rhs.rawValue }

    /// `audit`: record the decision durably before acting on it (set by `audit_logged: true`).
    public static let audit: Obligation = "audit"
}
