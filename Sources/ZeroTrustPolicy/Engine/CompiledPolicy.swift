/// A ``Policy`` prepared for fast evaluation.
final class CompiledPolicy: Sendable {
    let policy: Policy
    let index: Int32
    let id: String
    let isDeny: Bool
    let anyRole: Bool
    let roles: [Role]
    let approvals: [Approval]
    let resourceTypes: [ResourceType]
    let anyTypeFlags: [Bool]
    let resourceAttributes: [[(key: String, value: String)]]
    let conditions: [CompiledCondition]
    /// The rules of the time windows among `conditions`, which bound a permit's ttl.
    let timeWindows: [TimeWindowRule]
    let ttl: Int
    let obligations: [Obligation]

    init(_ policy: Policy, index: Int, in set: PolicySet, maximumTTL: Int) throws(PolicyError) {
        self.policy = policy
        self.index = Int32(index)
        id = policy.id
        isDeny = policy.effect == .deny
        anyRole = policy.subjects.roles.contains(.any)
        roles = policy.subjects.roles
        approvals = policy.subjects.approvals
        resourceTypes = policy.resources.map(\.type)
        anyTypeFlags = policy.resources.map { $0.type == .any }
        resourceAttributes = policy.resources.map { $0.attributes.sorted { $0.key < $1.key }.map { (key: $0.key, value: $0.value) } }
        var compiled: [CompiledCondition] = []
        var windows: [TimeWindowRule] = []
        for condition in policy.conditions {
            let c = try CompiledCondition(condition, in: set, policyID: policy.id)
            if case let .time(w) = c { windows.append(w.rule) }
            if case .always = c { continue }
            compiled.append(c)
        }
        conditions = compiled
        timeWindows = windows
        let requested = policy.ttl ?? set.defaults.ttl
        guard requested > 0 else {
            throw PolicyError(code: .invalidValue, message: "policy '\(policy.id)': ttl must be positive, not \(requested)")
        }
        ttl = min(requested, maximumTTL)
        obligations = policy.conditions.contains(.auditLogged(true)) ? [.audit] : []
    }

    /// Subject and resource match (the index has already matched the action).
    @inline(__always)
    func applies(_ request: AccessRequest) -> Bool {
        if !anyRole {
            var found = false
            outer: for held in request.subject.roles {
                for role in roles where role.rawValue == held.rawValue { found = true; break outer }
            }
            if !found { return false }
        }
        for approval in approvals where !request.subject.approvals.contains(approval) { return false }
        let type = request.resource.type.rawValue
        entries: for i in resourceTypes.indices {
            if !anyTypeFlags[i], resourceTypes[i].rawValue != type { continue }
            // By index: iterating the inner array counted a reference on it, and every core
            // deciding with this policy shares it.
            for j in resourceAttributes[i].indices
            where request.resource.attributes[resourceAttributes[i][j].key] != resourceAttributes[i][j].value { continue entries }
            return true
        }
        return false
    }

    @inline(__always)
    func conditionsHold(_ context: AccessRequest.Context) -> Bool {
        for condition in conditions where !condition.holds(context) { return false }
        return true
    }

    /// The permit's lifetime for this request: the capped ttl, shortened to the close of every
    /// time window in its conditions.
    func grantedTTL(_ context: AccessRequest.Context) -> Int {
        guard !timeWindows.isEmpty, let time = context.time else { return ttl }
        var result = ttl
        for window in timeWindows { result = min(result, window.secondsUntilClose(time)) }
        return result
    }
}
