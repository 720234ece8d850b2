/// One alternative of a policy's `resources`: a resource type (`"*"` for any) and attributes
/// that must all equal the resource's attributes of the same name (a missing attribute never
/// matches).
public struct ResourceMatcher: Hashable, Sendable {
    /// The required resource type, or ``ResourceType/any``.
    public var type: ResourceType
    /// Attribute name → required value (string comparison).
    public var attributes: [String: String]

    /// Creates a matcher.
    public init(type: ResourceType, attributes: [String: String] = [:]) {
        self.type = type
        self.attributes = attributes
    }

    /// Whether `resource` matches.
    public func matches(_ resource: AccessRequest.Resource) -> Bool {
        (type == .any || type == resource.type)
            && attributes.allSatisfy { resource.attributes[$0.key] == $0.value }
    }
}
