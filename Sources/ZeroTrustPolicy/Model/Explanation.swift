/// Why a decision came out as it did: one ``Step`` per policy the engine considered (the
/// candidates its index selected for the request's action and resource type), in file order.
public struct Explanation: Hashable, Sendable, Encodable, CustomStringConvertible {
    /// What happened to one policy.
    public struct Step: Hashable, Sendable, Encodable, CustomStringConvertible {
        /// The outcome of a policy.
        public enum Outcome: String, Hashable, Sendable, Encodable {
            /// Subject, resource or action did not match.
            case notApplicable = "not_applicable"
            /// It applied but a condition failed.
            case conditionsFailed = "conditions_failed"
            /// It applied and all its conditions held.
            case conditionsHeld = "conditions_held"
        }
        /// The policy id.
        public var policyID: String
        /// `permit` or `deny`.
        public var effect: Effect
        /// What happened.
        public var outcome: Outcome
        /// Whether this policy decided the request.
        public var decisive: Bool
        /// Every reason, e.g. `"ip 192.168.1.5 not in 10.0.0.0/8"` or `"subject, resource and action match"`.
        public var details: [String]

        /// Creates a step.
        public init(policyID: String, effect: Effect, outcome: Outcome, decisive: Bool, details: [String]) {
            self.policyID = policyID
            self.effect = effect
            self.outcome = outcome
            self.decisive = decisive
            self.details = details
        }

        enum CodingKeys: String, CodingKey {
            case effect, outcome, decisive, details
            case policyID = "policy_id"
        }

        /// `policy_id (effect): outcome — details`.
        public var description: String {
            "\(policyID) (\(effect.rawValue)): \(outcome.rawValue)\(decisive ? " [decisive]" : "") — "
                + details.joined(separator: "; ")
        }
    }

    /// The considered policies, in file order.
    public var steps: [Step]
    /// How many policies of the set the index ruled out without looking at them (their actions
    /// or resource types cannot match the request).
    public var skippedByIndex: Int

    /// Creates an explanation.
    public init(steps: [Step], skippedByIndex: Int) {
        self.steps = steps
        self.skippedByIndex = skippedByIndex
    }

    enum CodingKeys: String, CodingKey {
        case steps
        case skippedByIndex = "skipped_by_index"
    }

    /// One line per step, then the number of policies the index skipped.
    public var description: String {
        (steps.map(\.description) + ["\(skippedByIndex) other policies skipped by the index (action or resource type cannot match)"])
            .joined(separator: "\n")
    }
}
