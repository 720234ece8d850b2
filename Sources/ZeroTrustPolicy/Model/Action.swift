/// An action a subject asks to perform, such as `read_data`.
///
/// An extensible, typed identifier: add your own with an extension,
/// `extension Action { static let myValue: Action = "my_value" }`.
public struct Action: RawRepresentable, Hashable, Comparable, Sendable, Codable,
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
    public static func < (lhs: Action, rhs: Action) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The wildcard `"*"`: in a policy it matches every action.
    public static let any: Action = "*"
    /// `read_data`.
    public static let readData: Action = "read_data"
    /// `write_data`.
    public static let writeData: Action = "write_data"
    /// `delete_data`.
    public static let deleteData: Action = "delete_data"
    /// `submit_training_job`.
    public static let submitTrainingJob: Action = "submit_training_job"
    /// `read_metrics`.
    public static let readMetrics: Action = "read_metrics"
    /// `deploy_model`.
    public static let deployModel: Action = "deploy_model"
    /// `delete_model`.
    public static let deleteModel: Action = "delete_model"
    /// `monitor_performance`.
    public static let monitorPerformance: Action = "monitor_performance"
}
