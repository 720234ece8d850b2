/// An access request and the policy decision on it.
public struct AccessEvent: Sendable, Hashable {
    /// The outcome of a policy decision.
    public enum Decision: String, Sendable, Hashable, CaseIterable {
        /// Access was granted.
        case permit
        /// Access was refused.
        case deny
    }

    /// Who asked (a user, service or SPIFFE id).
    public var subject: String
    /// The subject's roles at decision time.
    public var roles: [String]
    /// The client's IP address, when known.
    public var sourceIP: String?
    /// The kind of resource (`model`, `dataset`, …).
    public var resourceType: String
    /// The resource's identifier.
    public var resourceID: String
    /// The resource's sensitivity label, when it has one.
    public var sensitivity: String?
    /// What the subject asked to do (`read`, `train`, …).
    public var action: String
    /// The decision.
    public var decision: Decision
    /// The policy that decided, when one did.
    public var policyID: String?
    /// The version of the policy set in force.
    public var policyVersion: String?
    /// Why: the policy engine's explanation.
    public var reason: String?
    /// Obligations attached to a permit (e.g. `watermark`).
    public var obligations: [String]
    /// Bytes transferred by the request, when known (feeds the volume detector).
    public var bytes: Int?

    /// Creates an access event.
    public init(subject: String, roles: [String] = [], sourceIP: String? = nil, resourceType: String,
                resourceID: String, sensitivity: String? = nil, action: String, decision: Decision,
                policyID: String? = nil, policyVersion: String? = nil, reason: String? = nil,
                obligations: [String] = [], bytes: Int? = nil) {
        self.subject = subject
        self.roles = roles
        self.sourceIP = sourceIP
        self.resourceType = resourceType
        self.resourceID = resourceID
        self.sensitivity = sensitivity
        self.action = action
        self.decision = decision
        self.policyID = policyID
        self.policyVersion = policyVersion
        self.reason = reason
        self.obligations = obligations
        self.bytes = bytes
    }
}
