/// One policy: who (`subjects`) may or may not (`effect`) do what (`actions`) on which
/// `resources`, under which `conditions`.
public struct Policy: Hashable, Sendable, Identifiable {
    /// The unique id, named in decisions.
    public var id: String
    /// `permit` (default) or `deny`.
    public var effect: Effect
    /// Free text.
    public var description: String?
    /// Who the policy applies to.
    public var subjects: SubjectMatcher
    /// Alternatives: the resource must match any one of them. Empty matches nothing.
    public var resources: [ResourceMatcher]
    /// The actions, or ``Action/any``. Empty matches nothing.
    public var actions: [Action]
    /// All must hold.
    public var conditions: [Condition]
    /// The lifetime of a permit in seconds; `nil` means the set's default.
    public var ttl: Int?

    /// Creates a policy.
    public init(
        id: String, effect: Effect = .permit, description: String? = nil, subjects: SubjectMatcher,
        resources: [ResourceMatcher], actions: [Action], conditions: [Condition] = [], ttl: Int? = nil
    ) {
        self.id = id
        self.effect = effect
        self.description = description
        self.subjects = subjects
        self.resources = resources
        self.actions = actions
        self.conditions = conditions
        self.ttl = ttl
    }

    /// Whether subject, resource and action all match (conditions aside).
    public func applies(to request: AccessRequest) -> Bool {
        subjects.matches(request.subject)
            && resources.contains { $0.matches(request.resource) }
            && actions.contains { $0 == .any || $0 == request.action }
    }
}
