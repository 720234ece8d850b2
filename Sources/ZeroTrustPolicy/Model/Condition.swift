/// A condition on a request's context. All conditions of a policy must hold.
///
/// A condition whose context input is missing (no `context.ip`, no `context.time`) does not hold.
public enum Condition: Hashable, Sendable {
    /// `ip_range`: `context.ip` lies in any of the blocks.
    case ipRange([CIDR])
    /// `time_window`: `context.time` falls in the named window.
    case timeWindow(String)
    /// `mfa_required`: when `true`, `context.mfa_verified` must be `true`; `false` always holds.
    case mfaRequired(Bool)
    /// `audit_logged`: always holds; when `true` a permit carries the ``Obligation/audit`` obligation.
    case auditLogged(Bool)

    /// `ip_range` over one or more CIDR texts.
    /// - Throws: ``PolicyError`` (``PolicyError/Code/invalidCIDR``) for a bad block.
    public static func ipRange(_ blocks: String...) throws(PolicyError) -> Condition {
        var parsed: [CIDR] = []
        for block in blocks { parsed.append(try CIDR(block)) }
        return .ipRange(parsed)
    }

    /// `time_window: business_hours`.
    public static var businessHours: Condition { .timeWindow(TimeWindow.businessHoursName) }

    /// `mfa_required: true`.
    public static var mfaRequired: Condition { .mfaRequired(true) }

    /// `audit_logged: true`.
    public static var auditLogged: Condition { .auditLogged(true) }

    /// The condition's key in a policy file.
    public var key: String {
        switch self {
        case .ipRange: "ip_range"
        case .timeWindow: "time_window"
        case .mfaRequired: "mfa_required"
        case .auditLogged: "audit_logged"
        }
    }
}
