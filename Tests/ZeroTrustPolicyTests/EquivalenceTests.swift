import Foundation
import PropertyBased
import Testing
import ZeroTrustPolicy

/// A deliberately naive reference evaluator: every policy, in file order, straight from the
/// model, with local time computed by Foundation's `Calendar` instead of the engine's arithmetic.
struct NaiveEvaluator {
    let set: PolicySet
    let maximumTTL: Int

    func calendar(_ window: TimeWindow) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: window.timeZone ?? set.defaults.timeZone) ?? TimeZone(secondsFromGMT: 0)!
        return calendar
    }

    func holds(_ condition: Condition, _ context: AccessRequest.Context) -> Bool {
        switch condition {
        case let .ipRange(blocks):
            guard let ip = context.ip else { return false }
            return blocks.contains { $0.contains(ip) }
        case let .timeWindow(name):
            guard let time = context.time, let window = set.timeWindow(named: name) else { return false }
            let parts = calendar(window).dateComponents([.weekday, .hour, .minute], from: time)
            let weekday = Weekday(rawValue: ((parts.weekday ?? 1) + 5) % 7 + 1)!  // Calendar: Sunday = 1
            let minute = (parts.hour ?? 0) * 60 + (parts.minute ?? 0)
            return window.days.contains(weekday) && minute >= window.start.minutes && minute < window.end.minutes
        case let .mfaRequired(required): return !required || context.mfaVerified == true
        case .auditLogged: return true
        }
    }

    func ttl(_ policy: Policy, _ context: AccessRequest.Context) -> Int {
        var ttl = min(policy.ttl ?? set.defaults.ttl, maximumTTL)
        for case let .timeWindow(name) in policy.conditions {
            guard let time = context.time, let window = set.timeWindow(named: name) else { continue }
            let cal = calendar(window)
            let dayStart = cal.startOfDay(for: time)
            let close = window.end.minutes == 1440
                ? cal.date(byAdding: .day, value: 1, to: dayStart)!
                : cal.date(bySettingHour: window.end.minutes / 60, minute: window.end.minutes % 60, second: 0, of: time)!
            ttl = min(ttl, Int((close.timeIntervalSince1970 - time.timeIntervalSince1970).rounded(.down)))
        }
        return ttl
    }

    func decide(_ r: AccessRequest) -> (Bool, String?, Decision.Reason.Code, String?, Int?, [Obligation]) {
        var applicable = false
        var firstFailed: String?
        for p in set.policies where p.effect == .deny && p.applies(to: r) {
            applicable = true
            if p.conditions.allSatisfy({ holds($0, r.context) }) { return (false, p.id, .explicitDeny, p.id, nil, []) }
        }
        for p in set.policies where p.applies(to: r) {
            applicable = true
            if p.conditions.allSatisfy({ holds($0, r.context) }) {
                if p.effect == .permit {
                    return (true, p.id, .permitted, p.id, ttl(p, r.context), p.conditions.contains(.auditLogged(true)) ? [.audit] : [])
                }
            } else if firstFailed == nil {
                firstFailed = p.id
            }
        }
        return applicable ? (false, nil, .conditionsNotMet, firstFailed, nil, []) : (false, nil, .noApplicablePolicy, nil, nil, [])
    }
}

/// SplitMix64, so one generated seed describes a whole policy set and request batch.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

enum RandomWorld {
    static let roles: [Role] = ["r0", "r1", "r2", .any]
    static let types: [ResourceType] = ["t0", "t1", "t2", .any]
    static let actions: [Action] = ["a0", "a1", "a2", .any]
    static let cidrs = ["10.0.0.0/8", "10.1.0.0/16", "192.168.0.0/16", "2001:db8::/32", "::ffff:172.16.0.0/108", "0.0.0.0/0"]
    static let ips = ["10.1.2.3", "10.200.0.1", "192.168.1.5", "::ffff:10.1.2.3", "2001:db8::7", "172.16.5.4", "8.8.8.8", "fe80::1"]
    static let times = ["2026-11-24T10:00:00Z", "2026-11-24T16:50:00Z", "2026-11-24T18:00:00Z", "2026-11-28T10:00:00Z",
                        "2026-03-09T13:30:00Z", "2026-03-08T06:30:00Z", "2026-11-01T04:30:00Z", "2026-11-02T14:30:00Z",
                        "2026-11-24T23:59:59Z", "2026-11-25T00:00:00Z"]

    static func pick<T>(_ items: [T], _ rng: inout SplitMix) -> T { items[Int(rng.next() % UInt64(items.count))] }
    static func some<T>(_ items: [T], _ max: Int, _ rng: inout SplitMix) -> [T] {
        (0..<Int(rng.next() % UInt64(max + 1))).map { _ in pick(items, &rng) }
    }

    static func policySet(_ rng: inout SplitMix) throws -> PolicySet {
        let windows = [
            TimeWindow(name: "ny", days: [.monday, .tuesday, .wednesday, .thursday, .friday], start: TimeOfDay(clampedMinutes: 540),
                       end: TimeOfDay(clampedMinutes: 1020), timeZone: "America/New_York"),
            TimeWindow(name: "night", days: [.sunday, .tuesday], start: TimeOfDay(clampedMinutes: 0), end: TimeOfDay(clampedMinutes: 240),
                       timeZone: "America/New_York"),
            TimeWindow(name: "late", days: Weekday.allCases, start: TimeOfDay(clampedMinutes: 1200), end: TimeOfDay(clampedMinutes: 1440)),
        ]
        var policies: [Policy] = []
        for i in 0..<Int(rng.next() % 12) {
            var conditions: [Condition] = []
            for _ in 0..<Int(rng.next() % 3) {
                switch rng.next() % 5 {
                case 0: conditions.append(.ipRange(try some(cidrs, 2, &rng).map { try CIDR($0) }))
                case 1: conditions.append(.timeWindow(pick(["business_hours", "ny", "night", "late"], &rng)))
                case 2: conditions.append(.mfaRequired(rng.next() % 4 != 0))
                case 3: conditions.append(.auditLogged(rng.next() % 4 != 0))
                default: conditions.append(.ipRange([try CIDR(pick(cidrs, &rng))]))
                }
            }
            let resources = (0..<Int(rng.next() % 3 + (rng.next() % 8 == 0 ? 0 : 1))).map { _ in
                ResourceMatcher(pick(types, &rng), rng.next() % 2 == 0 ? [:] : ["env": pick(["dev", "prod"], &rng)])
            }
            policies.append(Policy(
                id: "p\(i)", effect: rng.next() % 4 == 0 ? .deny : .permit,
                subjects: .init(roles: some(roles, 2, &rng), approvals: rng.next() % 3 == 0 ? ["sec"] : []),
                resources: resources, actions: some(actions, 3, &rng), conditions: conditions,
                ttl: rng.next() % 2 == 0 ? nil : Int(rng.next() % 5000) + 1
            ))
        }
        return PolicySet(defaults: PolicyDefaults(ttl: 3600, timeZone: pick(["UTC", "Europe/Berlin"], &rng)),
                         timeWindows: Dictionary(uniqueKeysWithValues: windows.map { ($0.name, $0) }), policies: policies)
    }

    static func request(_ rng: inout SplitMix) -> AccessRequest {
        AccessRequest(
            subject: .init(id: "s", roles: some(roles.dropLast() + ["other"], 2, &rng), approvals: rng.next() % 2 == 0 ? ["sec"] : []),
            resource: .init(type: pick(types.dropLast() + ["t9"], &rng), attributes: rng.next() % 3 == 0 ? [:] : ["env": pick(["dev", "prod"], &rng)]),
            action: pick(actions.dropLast() + ["a9"], &rng),
            context: .init(ip: rng.next() % 6 == 0 ? nil : IPAddress(pick(ips, &rng)),
                           time: rng.next() % 6 == 0 ? nil : RFC3339.date(from: pick(times, &rng)),
                           mfaVerified: [true, false, nil][Int(rng.next() % 3)])
        )
    }
}

@Suite struct EquivalenceTests {
    @Test func indexedEngineAgreesWithNaiveLinearEvaluator() async throws {
        await propertyCheck(count: 300, input: Gen.uint64()) { seed in
            var rng = SplitMix(state: seed)
            let set = try RandomWorld.policySet(&rng)
            let maximumTTL = Int(rng.next() % 4000) + 100
            let engine = try CompiledPolicySet(set, maximumTTL: maximumTTL)
            let naive = NaiveEvaluator(set: set, maximumTTL: maximumTTL)
            for _ in 0..<40 {
                let r = RandomWorld.request(&rng)
                let d = engine.authorize(r)
                let expected = naive.decide(r)
                let actual = (d.authorized, d.policyID, d.reason.code, d.reason.policyID, d.ttl, d.obligations)
                #expect(actual == expected, "seed \(seed): \(r)")
                #expect(engine.authorize(r, explain: true).explanation?.steps.filter(\.decisive).count ?? 0 <= 1)
            }
        }
    }

    @Test func yamlRoundTripPreservesRandomSets() async throws {
        await propertyCheck(count: 100, input: Gen.uint64()) { seed in
            var rng = SplitMix(state: seed)
            let set = try RandomWorld.policySet(&rng)
            let reloaded = try PolicyLoader.load(yaml: PolicyWriter.yaml(for: set).replacingOccurrences(of: "resources: []", with: "resources: [{type: \"__never__\"}]"))
            if !set.policies.contains(where: { $0.resources.isEmpty || $0.actions.isEmpty }) {
                #expect(reloaded == set)
            }
        }
    }
}
