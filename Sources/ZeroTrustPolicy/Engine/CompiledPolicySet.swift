internal import ZeroTrustCPULocal

/// A ``PolicySet`` compiled into an index for fast, pure evaluation.
///
/// Policies are bucketed by (action, resource type), with `"*"` buckets for wildcard actions and
/// wildcard resource types; each bucket keeps denies and permits apart, in file order. A request
/// looks at four buckets — (action, type), (action, `*`), (`*`, type), (`*`, `*`) — so the work
/// per decision depends on how many policies could match, not on the size of the set.
///
/// Evaluation reads nothing but its arguments: no clock, no I/O, no shared mutable state.
public final class CompiledPolicySet: Sendable {
    struct Bucket: Sendable {
        var denies: [Int32] = []
        var permits: [Int32] = []
    }

    /// The source policy set.
    public let policySet: PolicySet
    /// The content hash reported in every decision (``PolicySet/contentHash``).
    public let policyVersion: String
    /// The longest ttl a permit can carry, in seconds.
    public let maximumTTL: Int

    let policies: [CompiledPolicy]
    let actionIDs: [String: Int]
    let typeIDs: [String: Int]
    let typeCount: Int
    let bucketIDs: [Int: Int]
    let buckets: [Bucket]
    /// The hot path's form of `buckets` and `policies`, read without touching a reference count:
    /// every bucket's denies then permits in one array of indices, located by `bucketRanges`, and
    /// the policies as unmanaged references (`policies` keeps them alive). A compiled set is shared
    /// by every core deciding with it, and each retain of a shared object is a write to a cache
    /// line all of them read.
    private let bucketEntries: [Int32]
    private let bucketRanges: [(denies: Range<Int>, permits: Range<Int>)]
    private let policyReferences: [Unmanaged<CompiledPolicy>]

    /// What a decision copies out of the set: its version and the deciding policy's id and
    /// obligations. Every decision, and every copy of it (the caller's, its audit event's), counts
    /// references on these strings, so each CPU gets copies of its own (`CPULocal`) while that
    /// costs at most `copiedStringBudget` strings; larger sets share one copy.
    private struct DecisionStrings: Sendable {
        let policyVersion: String
        let policyIDs: [String]
        let obligations: [[Obligation]]
    }
    private let decisionStrings: [DecisionStrings]
    static let copiedStringBudget = 1 << 16

    /// Compiles `set`.
    /// - Parameters:
    ///   - set: the policy set to compile.
    ///   - maximumTTL: the engine's cap on every permit's ttl (default one day).
    /// - Throws: ``PolicyError`` for duplicate ids, unknown time windows or timezones, or a
    ///   non-positive ttl (sets loaded by ``PolicyLoader`` have none of these).
    public init(_ set: PolicySet, maximumTTL: Int = 86_400) throws(PolicyError) {
        var seen = Set<String>()
        for policy in set.policies where !seen.insert(policy.id).inserted {
            throw PolicyError(code: .duplicateID, message: "duplicate policy id '\(policy.id)'")
        }
        guard set.defaults.ttl > 0 else {
            throw PolicyError(code: .invalidValue, message: "defaults.ttl must be positive, not \(set.defaults.ttl)")
        }
        policySet = set
        policyVersion = set.contentHash
        self.maximumTTL = max(0, maximumTTL)
        var compiled: [CompiledPolicy] = []
        compiled.reserveCapacity(set.policies.count)
        for (i, policy) in set.policies.enumerated() {
            compiled.append(try CompiledPolicy(policy, index: i, in: set, maximumTTL: self.maximumTTL))
        }
        policies = compiled

        // Id 0 is the wildcard in both dimensions.
        var actionIDs: [String: Int] = [Action.any.rawValue: 0]
        var typeIDs: [String: Int] = [ResourceType.any.rawValue: 0]
        for p in set.policies {
            for a in p.actions where actionIDs[a.rawValue] == nil { actionIDs[a.rawValue] = actionIDs.count }
            for r in p.resources where typeIDs[r.type.rawValue] == nil { typeIDs[r.type.rawValue] = typeIDs.count }
        }
        let typeCount = typeIDs.count
        var bucketIDs: [Int: Int] = [:]
        var buckets: [Bucket] = []
        for (i, p) in set.policies.enumerated() {
            // A wildcard subsumes the other entries, so a policy sits in exactly one of the four
            // buckets any request looks at.
            let actions = p.actions.contains(.any) ? [Action.any] : Array(Set(p.actions))
            let types = p.resources.contains { $0.type == .any } ? [ResourceType.any] : Array(Set(p.resources.map(\.type)))
            for a in actions {
                for t in types {
                    guard let aid = actionIDs[a.rawValue], let tid = typeIDs[t.rawValue] else { continue }
                    let key = aid * typeCount + tid
                    let b: Int
                    if let existing = bucketIDs[key] { b = existing } else {
                        b = buckets.count
                        bucketIDs[key] = b
                        buckets.append(Bucket())
                    }
                    if p.effect == .deny { buckets[b].denies.append(Int32(i)) } else { buckets[b].permits.append(Int32(i)) }
                }
            }
        }
        self.actionIDs = actionIDs
        self.typeIDs = typeIDs
        self.typeCount = typeCount
        self.bucketIDs = bucketIDs
        self.buckets = buckets
        var entries: [Int32] = []
        var ranges: [(denies: Range<Int>, permits: Range<Int>)] = []
        for bucket in buckets {
            let deniesStart = entries.count
            entries += bucket.denies
            let permitsStart = entries.count
            entries += bucket.permits
            ranges.append((deniesStart..<permitsStart, permitsStart..<entries.count))
        }
        bucketEntries = entries
        bucketRanges = ranges
        policyReferences = compiled.map { Unmanaged.passUnretained($0) }
        let shared = DecisionStrings(policyVersion: policyVersion, policyIDs: compiled.map(\.id),
                                     obligations: compiled.map(\.obligations))
        let cpus = CPULocal.copies
        decisionStrings = (0..<((compiled.count + 1) * cpus <= Self.copiedStringBudget ? cpus : 1)).map { cpu in
            cpu == 0 ? shared : DecisionStrings(policyVersion: shared.policyVersion.unsharedCopy,
                                                policyIDs: shared.policyIDs.map(\.unsharedCopy),
                                                obligations: shared.obligations.map { list in
                                                    list.map { Obligation(rawValue: $0.rawValue.unsharedCopy) }
                                                })
        }
    }

    /// The (up to four) bucket numbers the request must look at, `-1` for none.
    @inline(__always)
    func candidateBuckets(_ request: AccessRequest) -> (Int, Int, Int, Int) {
        let aid = actionIDs[request.action.rawValue]
        let tid = typeIDs[request.resource.type.rawValue]
        func bucket(_ a: Int?, _ t: Int?) -> Int {
            guard let a, let t else { return -1 }
            return bucketIDs[a * typeCount + t] ?? -1
        }
        return (bucket(aid, tid), bucket(aid, 0), bucket(0, tid), bucket(0, 0))
    }

    /// Decides `request`. Pure and thread-safe; builds no strings unless `explain` is `true`.
    ///
    /// Any applicable deny whose conditions hold wins (`explicit_deny`); else the first permit in
    /// file order whose conditions hold (`permitted`); else `conditions_not_met` when some policy
    /// applied, `no_applicable_policy` when none did.
    public func authorize(_ request: AccessRequest, explain: Bool = false) -> Decision {
        // The common case returns the decision as built, with no copy of its strings.
        guard explain else { return decide(request) }
        var decision = decide(request)
        decision.explanation = explanation(for: request, decision: decision)
        return decision
    }

    @inline(__always)
    func decide(_ request: AccessRequest) -> Decision {
        let (b0, b1, b2, b3) = candidateBuckets(request)
        let context = request.context
        var applicable = false
        var firstFailed = Int32.max

        // Denies: any holding one decides; the first in file order is reported.
        var denier = Int32.max
        scanDenies(b0, request, &applicable, &firstFailed, &denier)
        scanDenies(b1, request, &applicable, &firstFailed, &denier)
        scanDenies(b2, request, &applicable, &firstFailed, &denier)
        scanDenies(b3, request, &applicable, &firstFailed, &denier)
        let strings = decisionStrings[CPULocal.index(decisionStrings.count)]
        if denier != Int32.max {
            return deny(.explicitDeny, strings.policyIDs[Int(denier)], strings)
        }
        // Permits: the first in file order whose conditions hold.
        var best = Int32.max
        scanPermits(b0, request, &applicable, &firstFailed, &best)
        scanPermits(b1, request, &applicable, &firstFailed, &best)
        scanPermits(b2, request, &applicable, &firstFailed, &best)
        scanPermits(b3, request, &applicable, &firstFailed, &best)
        if best != Int32.max {
            let ttl = policyReferences[Int(best)]._withUnsafeGuaranteedRef { $0.grantedTTL(context) }
            let id = strings.policyIDs[Int(best)]
            return Decision(authorized: true, policyID: id, ttl: ttl, reason: .init(code: .permitted, policyID: id),
                            obligations: strings.obligations[Int(best)], policyVersion: strings.policyVersion)
        }
        if applicable {
            return deny(.conditionsNotMet, firstFailed == Int32.max ? nil : strings.policyIDs[Int(firstFailed)], strings)
        }
        return deny(.noApplicablePolicy, nil, strings)
    }

    @inline(__always)
    func scanDenies(_ b: Int, _ request: AccessRequest, _ applicable: inout Bool, _ firstFailed: inout Int32, _ denier: inout Int32) {
        guard b >= 0 else { return }
        scan(bucketRanges[b].denies, request, &applicable, &firstFailed, &denier)
    }

    @inline(__always)
    func scanPermits(_ b: Int, _ request: AccessRequest, _ applicable: inout Bool, _ firstFailed: inout Int32, _ best: inout Int32) {
        guard b >= 0 else { return }
        scan(bucketRanges[b].permits, request, &applicable, &firstFailed, &best)
    }

    /// Finds the first policy (in file order, before `found`) among `entries` that applies and
    /// whose conditions hold, noting whether any applied and the first that applied but failed.
    @inline(__always)
    private func scan(_ entries: Range<Int>, _ request: AccessRequest, _ applicable: inout Bool,
                      _ firstFailed: inout Int32, _ found: inout Int32) {
        // Indexed directly: `withUnsafeBufferPointer` counted a reference on a shared array.
        for k in entries {
            let i = bucketEntries[k]
            if i >= found { return }
            // `policies` holds every policy for the life of the set.
            let holds: Bool? = policyReferences[Int(i)]._withUnsafeGuaranteedRef { p in
                p.applies(request) ? p.conditionsHold(request.context) : nil
            }
            guard let holds else { continue }
            applicable = true
            if holds { found = i; return }
            firstFailed = min(firstFailed, i)
        }
    }

    @inline(__always)
    private func deny(_ code: Decision.Reason.Code, _ policyID: String?, _ strings: DecisionStrings) -> Decision {
        Decision(authorized: false, policyID: code == .explicitDeny ? policyID : nil, ttl: nil,
                 reason: .init(code: code, policyID: policyID), obligations: [], policyVersion: strings.policyVersion)
    }
}
