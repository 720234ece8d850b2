/// One problem ``PolicyLinter`` found in a policy set.
public struct LintFinding: Hashable, Sendable, CustomStringConvertible {
    /// The kind of finding.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The stable textual code.
        public let rawValue: String
        /// Creates a code from its textual form.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// The textual code.
        public var description: String { rawValue }

        /// Two permits that apply to exactly the same requests under the same conditions.
        public static let duplicatePermit = Code(rawValue: "duplicate_permit")
        /// A permit that can never decide: an earlier permit always applies first.
        public static let shadowedPermit = Code(rawValue: "shadowed_permit")
        /// A permit that a deny always overrides.
        public static let overriddenByDeny = Code(rawValue: "overridden_by_deny")
        /// A condition (or policy) that can never hold: disjoint CIDRs, an empty window, no role.
        public static let unsatisfiable = Code(rawValue: "unsatisfiable")
        /// A permit granting a sensitive action through a wildcard.
        public static let wildcardSensitiveGrant = Code(rawValue: "wildcard_sensitive_grant")
        /// A permit on production resources without any condition.
        public static let unconditionedProduction = Code(rawValue: "unconditioned_production")
    }

    /// How serious a finding is.
    public enum Severity: String, Hashable, Sendable, Comparable {
        /// Probably fine; worth a look.
        case info
        /// Likely a mistake or a risk.
        case warning
        /// Certainly a mistake: part of the policy set is dead or dangerous.
        case error

        /// Orders info < warning < error.
        public static func < (lhs: Severity, rhs: Severity) -> Bool {
            let order: [Severity] = [.info, .warning, .error]
            return (order.firstIndex(of: lhs) ?? 0) < (order.firstIndex(of: rhs) ?? 0)
        }
    }

    /// What kind of finding.
    public var code: Code
    /// How serious.
    public var severity: Severity
    /// The policies involved (the affected one first).
    public var policyIDs: [String]
    /// A human-readable explanation.
    public var message: String

    /// Creates a finding.
    public init(code: Code, severity: Severity, policyIDs: [String], message: String) {
        self.code = code
        self.severity = severity
        self.policyIDs = policyIDs
        self.message = message
    }

    /// `severity code [ids]: message`.
    public var description: String {
        "\(severity.rawValue) \(code.rawValue) [\(policyIDs.joined(separator: ", "))]: \(message)"
    }
}
