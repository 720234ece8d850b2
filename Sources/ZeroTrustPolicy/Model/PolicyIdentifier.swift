/// The shared behaviour of the policy language's typed identifiers (``Action``, ``Role``,
/// ``ResourceType``, ``Approval``, ``Obligation``): each is a string in a type of its own, so that an
/// action cannot be passed where a role is expected, and each is extensible with static members.
///
/// Encoded as a single string (the standard library's `Codable` for string-backed
/// `RawRepresentable` types); ordered by its text.
public protocol PolicyIdentifier: RawRepresentable<String>, Hashable, Comparable, Sendable, Codable,
    ExpressibleByStringLiteral, CustomStringConvertible
{
    /// Creates an identifier from its textual form.
    init(rawValue: String)
}

extension PolicyIdentifier {
    /// Creates an identifier from its textual form.
    public init(_ rawValue: String) { self.init(rawValue: rawValue) }
    /// Creates an identifier from a string literal.
    public init(stringLiteral value: String) { self.init(rawValue: value) }
    /// The textual form.
    public var description: String { rawValue }
    /// Orders identifiers by their textual form.
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}
