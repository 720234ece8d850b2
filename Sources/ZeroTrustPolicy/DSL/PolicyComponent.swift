/// One part of a policy written with the DSL (see ``PolicyBuilder``).
public enum PolicyComponent: Hashable, Sendable {
    /// A role alternative (`subjects: - role:`).
    case role(Role)
    /// A required approval (`subjects: - approval:`).
    case approval(Approval)
    /// A resource alternative.
    case resource(ResourceMatcher)
    /// An action.
    case action(Action)
    /// A condition (all must hold).
    case condition(Condition)
}
