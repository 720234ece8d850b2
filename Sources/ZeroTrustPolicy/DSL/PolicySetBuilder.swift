/// One part of a policy set written with the DSL: a policy or a time window.
public enum PolicySetComponent: Hashable, Sendable {
    /// A policy (kept in statement order).
    case policy(Policy)
    /// A named time window.
    case timeWindow(TimeWindow)
}

/// Builds a policy set from ``Policy`` and ``TimeWindow`` statements, in order.
///
/// ```swift
/// let set = try PolicySet {
///     Policy.permit("data_scientist_training") {
///         Role.dataScientist
///         ResourceMatcher(.dataset, ["sensitivity": "low"])
///         Action.readData
///         try Condition.ipRange("10.0.0.0/8")
///         Condition.businessHours
///     }
/// }
/// ```
@resultBuilder
public enum PolicySetBuilder {
    /// A policy.
    public static func buildExpression(_ policy: Policy) -> [PolicySetComponent] { [.policy(policy)] }
    /// A time window.
    public static func buildExpression(_ window: TimeWindow) -> [PolicySetComponent] { [.timeWindow(window)] }
    /// Several policies.
    public static func buildExpression(_ policies: [Policy]) -> [PolicySetComponent] { policies.map(PolicySetComponent.policy) }
    /// Joins statements.
    public static func buildBlock(_ parts: [PolicySetComponent]...) -> [PolicySetComponent] { parts.flatMap { $0 } }
    /// `if` without `else`.
    public static func buildOptional(_ part: [PolicySetComponent]?) -> [PolicySetComponent] { part ?? [] }
    /// `if` branch.
    public static func buildEither(first part: [PolicySetComponent]) -> [PolicySetComponent] { part }
    /// `else` branch.
    public static func buildEither(second part: [PolicySetComponent]) -> [PolicySetComponent] { part }
    /// `for` loops.
    public static func buildArray(_ parts: [[PolicySetComponent]]) -> [PolicySetComponent] { parts.flatMap { $0 } }
}

extension PolicySet {
    /// Builds a policy set with ``PolicySetBuilder``.
    public init(
        version: Int = 1, defaults: PolicyDefaults = PolicyDefaults(),
        @PolicySetBuilder _ content: () throws -> [PolicySetComponent]
    ) rethrows {
        var windows: [String: TimeWindow] = [:]
        var policies: [Policy] = []
        for component in try content() {
            switch component {
            case let .policy(p): policies.append(p)
            case let .timeWindow(w): windows[w.name] = w
            }
        }
        self.init(version: version, defaults: defaults, timeWindows: windows, policies: policies)
    }
}
