/// The type of a resource, such as `dataset` or `model`.
///
/// An extensible, typed identifier: add your own with an extension,
/// `extension ResourceType { static let myValue: ResourceType = "my_value" }`.
public struct ResourceType: RawRepresentable, Hashable, Comparable, Sendable, Codable,
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
    public static func < (lhs: ResourceType, rhs: ResourceType) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The wildcard `"*"`: in a policy it matches every resource type.
    public static let any: ResourceType = "*"
    /// `dataset`.
    public static let dataset: ResourceType = "dataset"
    /// `training_cluster`.
    public static let trainingCluster: ResourceType = "training_cluster"
    /// `model`.
    public static let model: ResourceType = "model"
    /// `deployment_platform`.
    public static let deploymentPlatform: ResourceType = "deployment_platform"
}
