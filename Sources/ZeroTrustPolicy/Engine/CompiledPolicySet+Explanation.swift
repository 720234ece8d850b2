extension CompiledPolicySet {
    /// Builds the per-policy trace for `request` (only when an explanation is requested).
    func explanation(for request: AccessRequest, decision: Decision) -> Explanation {
        let (b0, b1, b2, b3) = candidateBuckets(request)
        var indices: [Int32] = []
        for b in [b0, b1, b2, b3] where b >= 0 { indices += buckets[b].denies + buckets[b].permits }
        indices = Array(Set(indices)).sorted()  // a request for action or type "*" may name a bucket twice
        var steps: [Explanation.Step] = []
        for i in indices {
            let p = policies[Int(i)]
            let effect: Effect = p.isDeny ? .deny : .permit
            let decisive = decision.reason.code != .conditionsNotMet && decision.reason.policyID == p.id
            let mismatches = mismatchReasons(p, request)
            if !mismatches.isEmpty {
                steps.append(.init(policyID: p.id, effect: effect, outcome: .notApplicable, decisive: false, details: mismatches))
                continue
            }
            let failures = p.conditions.compactMap { $0.failure(request.context) }
            if failures.isEmpty {
                let held = p.conditions.map { $0.success(request.context) }
                steps.append(.init(policyID: p.id, effect: effect, outcome: .conditionsHeld, decisive: decisive,
                                   details: ["subject, resource and action match"] + held))
            } else {
                steps.append(.init(policyID: p.id, effect: effect, outcome: .conditionsFailed, decisive: false,
                                   details: ["subject, resource and action match"] + failures))
            }
        }
        return Explanation(steps: steps, skippedByIndex: policies.count - indices.count)
    }

    func mismatchReasons(_ p: CompiledPolicy, _ request: AccessRequest) -> [String] {
        var out: [String] = []
        let held = request.subject.roles.map(\.rawValue).joined(separator: ", ")
        if p.roles.isEmpty {
            out.append("policy lists no role, so it matches no subject")
        } else if !p.anyRole, !request.subject.roles.contains(where: { p.roles.contains($0) }) {
            out.append("subject roles [\(held)] include none of [\(p.roles.map(\.rawValue).joined(separator: ", "))]")
        }
        for approval in p.approvals where !request.subject.approvals.contains(approval) {
            out.append("approval '\(approval)' missing")
        }
        if !p.policy.resources.contains(where: { $0.matches(request.resource) }) {
            var entries: [String] = []
            for r in p.policy.resources {
                if r.type != .any, r.type != request.resource.type {
                    entries.append("type '\(request.resource.type)' is not '\(r.type)'")
                    continue
                }
                for key in r.attributes.keys.sorted() where request.resource.attributes[key] != r.attributes[key] {
                    let want = r.attributes[key] ?? ""
                    if let have = request.resource.attributes[key] {
                        entries.append("\(r.type) attribute '\(key)' is '\(have)', not '\(want)'")
                    } else {
                        entries.append("\(r.type) attribute '\(key)' is missing (wanted '\(want)')")
                    }
                    break
                }
            }
            out.append("resource matches no entry: " + entries.joined(separator: "; "))
        }
        return out
    }
}
