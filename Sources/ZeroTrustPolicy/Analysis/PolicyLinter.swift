/// Static analysis of a ``PolicySet`` (`zt policy lint`).
///
/// Reports duplicate and shadowed permits, permits a deny always overrides, conditions that can
/// never hold, wildcard grants of sensitive actions, and unconditioned permits on production
/// resources. "Always applies" is decided syntactically and soundly: a finding is reported only
/// when one policy's subjects, resources, actions and conditions are each at least as broad as
/// the other's.
public struct PolicyLinter: Sendable {
    /// Actions whose wildcard grant is reported.
    public var sensitiveActions: Set<Action>
    /// Resource attribute values that mark a production resource (for any attribute name).
    public var productionValues: Set<String>

    /// Creates a linter.
    public init(
        sensitiveActions: Set<Action> = [.deployModel, .deleteModel, .deleteData, .writeData],
        productionValues: Set<String> = ["production", "prod"]
    ) {
        self.sensitiveActions = sensitiveActions
        self.productionValues = productionValues
    }

    /// All findings, ordered by the first policy's position in the file, then by code.
    public func lint(_ set: PolicySet) -> [LintFinding] {
        var findings: [LintFinding] = []
        let policies = set.policies
        for (j, later) in policies.enumerated() where later.effect == .permit {
            if let (earlier, same) = policies[..<j].lazy.filter({ $0.effect == .permit })
                .compactMap({ e -> (Policy, Bool)? in Self.covers(e, later) ? (e, Self.covers(later, e)) : nil }).first
            {
                findings.append(same
                    ? .init(code: .duplicatePermit, severity: .warning, policyIDs: [later.id, earlier.id],
                            message: "permit '\(later.id)' duplicates the earlier permit '\(earlier.id)' and can never decide a request")
                    : .init(code: .shadowedPermit, severity: .warning, policyIDs: [later.id, earlier.id],
                            message: "permit '\(later.id)' is shadowed: the earlier permit '\(earlier.id)' applies to every request it applies to"))
            }
            if let deny = policies.first(where: { $0.effect == .deny && Self.covers($0, later) }) {
                findings.append(.init(code: .overriddenByDeny, severity: .error, policyIDs: [later.id, deny.id],
                                      message: "permit '\(later.id)' is always overridden by deny '\(deny.id)'"))
            }
        }
        for policy in policies {
            findings += unsatisfiable(policy, in: set)
            if policy.effect == .permit { findings += risky(policy) }
        }
        let position = Dictionary(policies.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        return findings.enumerated().sorted {
            let a = position[$0.element.policyIDs.first ?? ""] ?? 0, b = position[$1.element.policyIDs.first ?? ""] ?? 0
            return (a, $0.offset) < (b, $1.offset)
        }.map(\.element)
    }

    /// Whether `broad` applies to (at least) every request `narrow` applies to, with conditions
    /// that hold whenever `narrow`'s do.
    static func covers(_ broad: Policy, _ narrow: Policy) -> Bool {
        let rolesCovered = broad.subjects.roles.contains(.any)
            || (!narrow.subjects.roles.contains(.any) && narrow.subjects.roles.allSatisfy { broad.subjects.roles.contains($0) })
        let approvalsCovered = broad.subjects.approvals.allSatisfy { narrow.subjects.approvals.contains($0) }
        let actionsCovered = broad.actions.contains(.any)
            || (!narrow.actions.contains(.any) && narrow.actions.allSatisfy { broad.actions.contains($0) })
        let resourcesCovered = narrow.resources.allSatisfy { n in
            broad.resources.contains { b in
                (b.type == .any || b.type == n.type) && b.attributes.allSatisfy { n.attributes[$0.key] == $0.value }
            }
        }
        let effective = { (p: Policy) in p.conditions.filter { if case .auditLogged = $0 { false } else if case .mfaRequired(false) = $0 { false } else { true } } }
        let narrowConditions = effective(narrow)
        let conditionsCovered = effective(broad).allSatisfy { narrowConditions.contains($0) }
        return !narrow.subjects.roles.isEmpty && !narrow.resources.isEmpty && !narrow.actions.isEmpty
            && rolesCovered && approvalsCovered && actionsCovered && resourcesCovered && conditionsCovered
    }

    func unsatisfiable(_ p: Policy, in set: PolicySet) -> [LintFinding] {
        var out: [LintFinding] = []
        if p.subjects.roles.isEmpty {
            out.append(.init(code: .unsatisfiable, severity: .error, policyIDs: [p.id],
                             message: "policy '\(p.id)' lists no role, so it matches no subject"))
        }
        // All ip_range conditions must hold at once: intersect their unions.
        let ranges = p.conditions.compactMap { c -> [ClosedRange<UInt128>]? in
            if case let .ipRange(blocks) = c { return blocks.map { $0.network.value...$0.lastAddress.value } }
            return nil
        }
        if var acc = ranges.first {
            for next in ranges.dropFirst() {
                acc = acc.flatMap { a in next.compactMap { b in a.overlaps(b) ? max(a.lowerBound, b.lowerBound)...min(a.upperBound, b.upperBound) : nil } }
            }
            if acc.isEmpty {
                out.append(.init(code: .unsatisfiable, severity: .error, policyIDs: [p.id],
                                 message: "policy '\(p.id)' has ip_range conditions whose CIDR blocks do not intersect, so they can never all hold"))
            }
        }
        var windows: [TimeWindow] = []
        for case let .timeWindow(name) in p.conditions {
            guard let w = set.timeWindow(named: name) else { continue }
            windows.append(w)
            if w.days.isEmpty || w.start >= w.end {
                out.append(.init(code: .unsatisfiable, severity: .error, policyIDs: [p.id],
                                 message: "policy '\(p.id)' uses time window '\(name)', which has zero length (\(w.days.isEmpty ? "no days" : "\(w.start)-\(w.end)"))"))
            }
        }
        if windows.count > 1, Set(windows.map { $0.timeZone ?? set.defaults.timeZone }).count == 1 {
            let days = windows.dropFirst().reduce(Set(windows[0].days)) { $0.intersection($1.days) }
            let start = windows.map(\.start).max(), end = windows.map(\.end).min()
            if days.isEmpty || (start.flatMap { s in end.map { s >= $0 } } ?? false) {
                out.append(.init(code: .unsatisfiable, severity: .error, policyIDs: [p.id],
                                 message: "policy '\(p.id)' requires time windows that never overlap"))
            }
        }
        return out
    }

    func risky(_ p: Policy) -> [LintFinding] {
        var out: [LintFinding] = []
        let sensitive = p.actions.contains(.any) ? Array(sensitiveActions).sorted() : p.actions.filter { sensitiveActions.contains($0) }
        let wildcardSubject = p.subjects.roles.contains(.any)
        let wildcardResource = p.resources.contains { $0.type == .any }
        if !sensitive.isEmpty && (p.actions.contains(.any) || wildcardSubject || wildcardResource) {
            let via = [p.actions.contains(.any) ? "actions \"*\"" : nil, wildcardSubject ? "role \"*\"" : nil,
                       wildcardResource ? "resource type \"*\"" : nil].compactMap { $0 }.joined(separator: ", ")
            out.append(.init(code: .wildcardSensitiveGrant, severity: .warning, policyIDs: [p.id],
                             message: "permit '\(p.id)' grants sensitive actions (\(sensitive.map(\.rawValue).joined(separator: ", "))) through a wildcard (\(via))"))
        }
        let production = p.resources.contains { r in r.type == .any || r.attributes.values.contains { productionValues.contains($0) } }
        if production && p.conditions.isEmpty {
            out.append(.init(code: .unconditionedProduction, severity: .warning, policyIDs: [p.id],
                             message: "permit '\(p.id)' applies to production resources without any condition"))
        }
        return out
    }
}
