/// The type of a resource, such as `dataset` or `model`.
///
/// An extensible, typed identifier: add your own with an extension,
/// `extension ResourceType { static let myValue: ResourceType = "my_value" }`.
public struct ResourceType: PolicyIdentifier {
    /// The identifier as written in a policy file.
    public let rawValue: String
    /// Creates an identifier from its textual form.
    public init(rawValue: String) { self.rawValue = rawValue }

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
