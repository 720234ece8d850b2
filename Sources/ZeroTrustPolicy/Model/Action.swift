/// An action a subject asks to perform, such as `read_data`.
///
/// An extensible, typed identifier: add your own with an extension,
/// `extension Action { static let myValue: Action = "my_value" }`.
public struct Action: PolicyIdentifier {
    /// The identifier as written in a policy file.
    public let rawValue: String
    /// Creates an identifier from its textual form.
    public init(rawValue: String) { self.rawValue = rawValue }

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
