/// The answer to an ``AccessRequest``: authorized or not, and why.
///
/// Every decision names the policy that made it (when one did), the reason, the obligations the
/// caller must fulfil before acting, and the ``policyVersion`` of the policy set that decided.
public struct Decision: Hashable, Sendable {
    /// Why a decision came out as it did.
    public struct Reason: Hashable, Sendable, CustomStringConvertible {
        /// The kind of reason.
        public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
            /// The stable textual code.
            public let rawValue: String
            /// Creates a code from its stable textual form.
            public init(rawValue: String) { self.rawValue = rawValue }
            /// The textual code.
            public var description: String { rawValue }

            /// A permit applied and its conditions held (`permitted`).
            public static let permitted = Code(rawValue: "permitted")
            /// A deny applied and its conditions held (`explicit_deny`).
            public static let explicitDeny = Code(rawValue: "explicit_deny")
            /// No policy matched subject, resource and action (`no_applicable_policy`).
            public static let noApplicablePolicy = Code(rawValue: "no_applicable_policy")
            /// Some policy matched, but the conditions of none held (`conditions_not_met`).
            public static let conditionsNotMet = Code(rawValue: "conditions_not_met")
        }

        /// The kind of reason.
        public let code: Code
        /// The policy the reason refers to: the deciding policy, or for `conditions_not_met` the
        /// first (file order) applicable policy whose conditions failed.
        public let policyID: String?

        /// Creates a reason.
        public init(code: Code, policyID: String? = nil) {
            self.code = code
            self.policyID = policyID
        }

        /// A human-readable sentence, built only when asked for.
        public var message: String {
            let id = policyID ?? "?"
            switch code {
            case .permitted: return "permitted by policy '\(id)'"
            case .explicitDeny: return "denied by policy '\(id)'"
            case .noApplicablePolicy: return "no policy applies to this subject, resource and action"
            case .conditionsNotMet:
                return policyID.map { "conditions of applicable policy '\($0)' not met" }
                    ?? "conditions of the applicable policies not met"
            default: return code.rawValue
            }
        }

        /// `code: message`.
        public var description: String { "\(code.rawValue): \(message)" }
    }

    /// Whether the request may proceed.
    public var authorized: Bool
    /// The id of the deciding policy (the permit, or the deny), if any.
    public var policyID: String?
    /// For a permit: how many seconds the grant is good for (never past the close of a time
    /// window in the permit's conditions). `nil` when denied.
    public var ttl: Int?
    /// Why.
    public var reason: Reason
    /// What the caller must do before acting (for example ``Obligation/audit``).
    public var obligations: [Obligation]
    /// The content hash of the deciding policy set (``PolicySet/contentHash``).
    public var policyVersion: String
    /// Per-policy trace, present only when requested.
    public var explanation: Explanation?

    /// Creates a decision.
    public init(
        authorized: Bool, policyID: String?, ttl: Int?, reason: Reason, obligations: [Obligation],
        policyVersion: String, explanation: Explanation? = nil
    ) {
        self.authorized = authorized
        self.policyID = policyID
        self.ttl = ttl
        self.reason = reason
        self.obligations = obligations
        self.policyVersion = policyVersion
        self.explanation = explanation
    }
}

extension Decision: Encodable {
    enum CodingKeys: String, CodingKey {
        case authorized, ttl, reason, obligations, explanation
        case policyID = "policy_id"
        case policyVersion = "policy_version"
    }
    enum ReasonKeys: String, CodingKey { case code, message }

    /// Encodes the CLI's JSON form: `authorized`, `policy_id`, `ttl`, `reason {code, message}`,
    /// `obligations`, `policy_version`, and `explanation` when present. Absent values are `null`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(authorized, forKey: .authorized)
        if let policyID { try c.encode(policyID, forKey: .policyID) } else { try c.encodeNil(forKey: .policyID) }
        if let ttl { try c.encode(ttl, forKey: .ttl) } else { try c.encodeNil(forKey: .ttl) }
        var r = c.nestedContainer(keyedBy: ReasonKeys.self, forKey: .reason)
        try r.encode(reason.code.rawValue, forKey: .code)
        try r.encode(reason.message, forKey: .message)
        try c.encode(obligations, forKey: .obligations)
        try c.encode(policyVersion, forKey: .policyVersion)
        try c.encodeIfPresent(explanation, forKey: .explanation)
    }
}
