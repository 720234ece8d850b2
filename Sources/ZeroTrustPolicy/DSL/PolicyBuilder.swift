/// Builds a policy's parts from typed statements.
///
/// Each statement adds a role (alternatives), an approval (requirements), a resource
/// alternative, an action, or a condition. `if`, `if`/`else` and `for` work as usual.
/// A policy left without roles, resources or actions matches nothing: an empty "any of" fails
/// closed.
///
/// ```swift
/// Policy.permit("production_model_deployment") {
///     Role.mlopsEngineer
///     Approval.securityTeam
///     ResourceMatcher(.model, ["stage": "production"])
///     Action.deployModel
///     Condition.mfaRequired
///     Condition.auditLogged
/// }
/// ```
@resultBuilder
public enum PolicyBuilder {
    /// A role alternative.
    public static func buildExpression(_ role: Role) -> [PolicyComponent] { [.role(role)] }
    /// Several role alternatives.
    public static func buildExpression(_ roles: [Role]) -> [PolicyComponent] { roles.map(PolicyComponent.role) }
    /// A required approval.
    public static func buildExpression(_ approval: Approval) -> [PolicyComponent] { [.approval(approval)] }
    /// A resource alternative.
    public static func buildExpression(_ resource: ResourceMatcher) -> [PolicyComponent] { [.resource(resource)] }
    /// An action.
    public static func buildExpression(_ action: Action) -> [PolicyComponent] { [.action(action)] }
    /// Several actions.
    public static func buildExpression(_ actions: [Action]) -> [PolicyComponent] { actions.map(PolicyComponent.action) }
    /// A condition.
    public static func buildExpression(_ condition: Condition) -> [PolicyComponent] { [.condition(condition)] }
    /// Any prepared component.
    public static func buildExpression(_ component: PolicyComponent) -> [PolicyComponent] { [component] }
    /// Joins statements.
    public static func buildBlock(_ parts: [PolicyComponent]...) -> [PolicyComponent] { parts.flatMap { $0 } }
    /// `if` without `else`.
    public static func buildOptional(_ part: [PolicyComponent]?) -> [PolicyComponent] { part ?? [] }
    /// `if` branch.
    public static func buildEither(first part: [PolicyComponent]) -> [PolicyComponent] { part }
    /// `else` branch.
    public static func buildEither(second part: [PolicyComponent]) -> [PolicyComponent] { part }
    /// `for` loops.
    public static func buildArray(_ parts: [[PolicyComponent]]) -> [PolicyComponent] { parts.flatMap { $0 } }
}

extension Policy {
    /// Creates a policy from DSL components.
    public init(id: String, effect: Effect, description: String? = nil, ttl: Int? = nil, components: [PolicyComponent]) {
        var subjects = SubjectMatcher(roles: [])
        var resources: [ResourceMatcher] = []
        var actions: [Action] = []
        var conditions: [Condition] = []
        for component in components {
            switch component {
            case let .role(r): subjects.roles.append(r)
            case let .approval(a): subjects.approvals.append(a)
            case let .resource(r): resources.append(r)
            case let .action(a): actions.append(a)
            case let .condition(c): conditions.append(c)
            }
        }
        self.init(id: id, effect: effect, description: description, subjects: subjects, resources: resources,
                  actions: actions, conditions: conditions, ttl: ttl)
    }

    /// A `permit` policy written with ``PolicyBuilder``.
    public static func permit(
        _ id: String, description: String? = nil, ttl: Int? = nil, @PolicyBuilder _ content: () throws -> [PolicyComponent]
    ) rethrows -> Policy {
        Policy(id: id, effect: .permit, description: description, ttl: ttl, components: try content())
    }

    /// A `deny` policy written with ``PolicyBuilder``; it overrides every permit.
    public static func deny(
        _ id: String, description: String? = nil, @PolicyBuilder _ content: () throws -> [PolicyComponent]
    ) rethrows -> Policy {
        Policy(id: id, effect: .deny, description: description, ttl: nil, components: try content())
    }
}

extension ResourceMatcher {
    /// A resource alternative: `type` (or ``ResourceType/any``) and attributes that must all match.
    public init(_ type: ResourceType, _ attributes: [String: String] = [:]) {
        self.init(type: type, attributes: attributes)
    }
}
