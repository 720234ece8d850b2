public import Foundation
internal import Yams

/// Loads and validates policy YAML (see `Documentation/PolicyLanguage.md`).
///
/// Validation rejects the whole file on any problem and reports **every** problem with its line
/// and column: unknown keys, duplicate keys and ids, unknown condition types, bad CIDRs, unknown
/// time windows and timezones, bad times and days, empty actions or resources, wrong types.
///
/// ```swift
/// let set = try PolicyLoader.load(yaml: text)
/// let pdp = try PolicyDecisionPoint(set)
/// ```
public enum PolicyLoader {
    /// Parses and validates policy YAML text.
    /// - Throws: ``PolicyError`` with code ``PolicyError/Code/invalidPolicy`` (all problems in
    ///   ``PolicyError/problems``, sorted by position).
    public static func load(yaml: String) throws(PolicyError) -> PolicySet {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch {
            throw invalid([syntaxProblem(error)])
        }
        var validator = PolicyValidator()
        let set = validator.policySet(root)
        guard validator.problems.isEmpty, let set else {
            throw invalid(validator.problems)
        }
        return set
    }

    /// Reads a file and loads it (I/O happens here, at the edge, never while deciding).
    /// - Throws: ``PolicyError/Code/unreadableFile`` or the errors of ``load(yaml:)``.
    public static func load(contentsOf url: URL) throws(PolicyError) -> PolicySet {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw PolicyError(code: .unreadableFile, message: "cannot read \(url.path): \(error.localizedDescription)")
        }
        return try load(yaml: text)
    }

    static func invalid(_ problems: [PolicyError.Problem]) -> PolicyError {
        let sorted = problems.sorted { ($0.line ?? 0, $0.column ?? 0) < ($1.line ?? 0, $1.column ?? 0) }
        let first = sorted.first
        let summary = sorted.count == 1 ? "1 problem" : "\(sorted.count) problems"
        return PolicyError(
            code: .invalidPolicy, message: "invalid policy file (\(summary)): \(first?.message ?? "")",
            line: first?.line, column: first?.column, problems: sorted
        )
    }

    static func syntaxProblem(_ error: any Error) -> PolicyError.Problem {
        guard let error = error as? YamlError else {
            return .init(code: .syntaxError, message: "YAML syntax error: \(error)")
        }
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            let text = [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ": ")
            return .init(code: .syntaxError, message: "YAML syntax error: \(text)", line: mark.line, column: mark.column)
        case let .duplicatedKeysInMapping(duplicates, context):
            return .init(code: .duplicateKey, message: "duplicate key '\(duplicates.joined(separator: "', '"))'",
                         line: context.mark.line, column: context.mark.column)
        default:
            return .init(code: .syntaxError, message: "YAML syntax error: \(error)")
        }
    }
}

/// Walks the YAML node tree, building the model and collecting every problem.
struct PolicyValidator {
    var problems: [PolicyError.Problem] = []
    private var windowReferences: [(name: String, node: Node)] = []

    mutating func report(_ code: PolicyError.Code, _ message: String, at node: Node?) {
        problems.append(.init(code: code, message: message, line: node?.mark?.line, column: node?.mark?.column))
    }

    // MARK: Typed accessors

    mutating func mapping(_ node: Node, _ what: String) -> Node.Mapping? {
        if case let .mapping(m) = node { return m }
        report(.typeMismatch, "\(what) must be a mapping", at: node)
        return nil
    }

    mutating func sequence(_ node: Node, _ what: String) -> [Node]? {
        if case let .sequence(s) = node { return Array(s) }
        report(.typeMismatch, "\(what) must be a list", at: node)
        return nil
    }

    mutating func string(_ node: Node, _ what: String) -> String? {
        if case let .scalar(s) = node, node.tag.rawValue != Tag.Name.null.rawValue || s.style != .plain {
            return s.string
        }
        report(.typeMismatch, "\(what) must be a string", at: node)
        return nil
    }

    mutating func int(_ node: Node, _ what: String) -> Int? {
        if case let .scalar(s) = node, s.style == .plain, node.tag.rawValue == Tag.Name.int.rawValue, let v = Int(s.string) { return v }
        report(.typeMismatch, "\(what) must be an integer", at: node)
        return nil
    }

    mutating func bool(_ node: Node, _ what: String) -> Bool? {
        if case let .scalar(s) = node, s.style == .plain, node.tag.rawValue == Tag.Name.bool.rawValue, let v = node.bool { return v }
        report(.typeMismatch, "\(what) must be true or false", at: node)
        return nil
    }

    /// Key → value pairs of a mapping, reporting keys that are not strings or not allowed.
    mutating func fields(_ m: Node.Mapping, allowed: Set<String>?, _ what: String) -> [(key: String, keyNode: Node, value: Node)] {
        var out: [(String, Node, Node)] = []
        for (k, v) in m {
            guard let key = string(k, "a key in \(what)") else { continue }
            if let allowed, !allowed.contains(key) {
                report(.unknownKey, "unknown key '\(key)' in \(what) (allowed: \(allowed.sorted().joined(separator: ", ")))", at: k)
                continue
            }
            out.append((key, k, v))
        }
        return out
    }

    // MARK: Document

    mutating func policySet(_ root: Node?) -> PolicySet? {
        guard let root else {
            problems.append(.init(code: .missingField, message: "empty document: 'policies' is required", line: 1, column: 1))
            return nil
        }
        guard let top = mapping(root, "the document") else { return nil }
        var version = 1
        var defaults = PolicyDefaults()
        var windows: [String: TimeWindow] = [:]
        var policies: [Policy] = []
        var sawPolicies = false
        var windowNodes: [(TimeWindow, Node)] = []
        for (key, _, value) in fields(top, allowed: ["version", "defaults", "time_windows", "policies"], "the document") {
            switch key {
            case "version":
                if let v = int(value, "version") {
                    if v == 1 { version = v } else { report(.unsupportedVersion, "unsupported version \(v) (only 1 is supported)", at: value) }
                }
            case "defaults":
                guard let m = mapping(value, "defaults") else { continue }
                for (k, _, v) in fields(m, allowed: ["ttl", "timezone"], "defaults") {
                    if k == "ttl", let ttl = positiveTTL(v) { defaults.ttl = ttl }
                    if k == "timezone", let tz = timeZone(v) { defaults.timeZone = tz }
                }
            case "time_windows":
                guard let m = mapping(value, "time_windows") else { continue }
                for (name, nameNode, v) in fields(m, allowed: nil, "time_windows") {
                    if let w = timeWindow(name: name, v) { windows[name] = w; windowNodes.append((w, nameNode)) }
                }
            default: // policies
                sawPolicies = true
                guard let list = sequence(value, "policies") else { continue }
                var seen: [String: Int] = [:]
                for item in list {
                    let (policy, id, idNode) = self.policy(item)
                    if let id {
                        if let firstLine = seen[id] {
                            report(.duplicateID, "duplicate policy id '\(id)' (first defined on line \(firstLine))", at: idNode)
                        } else {
                            seen[id] = idNode?.mark?.line ?? 0
                        }
                    }
                    if let policy { policies.append(policy) }
                }
            }
        }
        if !sawPolicies {
            report(.missingField, "missing required key 'policies'", at: root)
        }
        for (name, node) in windowReferences where windows[name] == nil && name != TimeWindow.businessHoursName {
            let known = (Array(windows.keys) + [TimeWindow.businessHoursName]).sorted().joined(separator: ", ")
            report(.unknownTimeWindow, "unknown time window '\(name)' (defined: \(known))", at: node)
        }
        return PolicySet(version: version, defaults: defaults, timeWindows: windows, policies: policies)
    }

    mutating func positiveTTL(_ node: Node) -> Int? {
        guard let v = int(node, "ttl") else { return nil }
        guard v > 0 else {
            report(.invalidValue, "ttl must be a positive number of seconds, not \(v)", at: node)
            return nil
        }
        return v
    }

    mutating func timeZone(_ node: Node) -> String? {
        guard let id = string(node, "timezone") else { return nil }
        guard TimeZone(identifier: id) != nil else {
            report(.unknownTimeZone, "unknown timezone '\(id)'", at: node)
            return nil
        }
        return id
    }

    mutating func timeWindow(name: String, _ node: Node) -> TimeWindow? {
        guard let m = mapping(node, "time window '\(name)'") else { return nil }
        var days: [Weekday]?
        var start: TimeOfDay?, end: TimeOfDay?, endNode: Node?
        var zone: String?
        var ok = true
        for (k, _, v) in fields(m, allowed: ["days", "start", "end", "timezone"], "time window '\(name)'") {
            switch k {
            case "days":
                guard let list = sequence(v, "days") else { ok = false; continue }
                var parsed: [Weekday] = []
                for item in list {
                    guard let text = string(item, "a day") else { ok = false; continue }
                    if let day = Weekday(name: text) { parsed.append(day) } else {
                        report(.invalidDay, "invalid day '\(text)' (expected mon, tue, wed, thu, fri, sat or sun)", at: item)
                        ok = false
                    }
                }
                days = parsed
            case "start", "end":
                guard let text = string(v, k) else { ok = false; continue }
                guard let t = TimeOfDay(text) else {
                    report(.invalidTime, "invalid \(k) time '\(text)' (expected \"HH:MM\" between 00:00 and 24:00)", at: v)
                    ok = false
                    continue
                }
                if k == "start" { start = t } else { end = t; endNode = v }
            default:
                if let tz = timeZone(v) { zone = tz } else { ok = false }
            }
        }
        for (field, value) in [("days", days != nil), ("start", start != nil), ("end", end != nil)] where !value && ok {
            report(.missingField, "time window '\(name)' is missing '\(field)'", at: node)
            ok = false
        }
        guard ok, let days, let start, let end else { return nil }
        if end < start {
            report(.invalidTime, "time window '\(name)' ends (\(end)) before it starts (\(start)); windows do not wrap past midnight", at: endNode)
            return nil
        }
        return TimeWindow(name: name, days: days, start: start, end: end, timeZone: zone)
    }

    // MARK: Policies

    static let policyKeys: Set<String> = ["id", "effect", "description", "subjects", "resources", "actions", "conditions", "ttl"]

    mutating func policy(_ node: Node) -> (Policy?, String?, Node?) {
        guard let m = mapping(node, "a policy") else { return (nil, nil, nil) }
        let before = problems.count
        var id: String?, idNode: Node?
        var effect = Effect.permit
        var description: String?
        var subjects: SubjectMatcher?
        var resources: [ResourceMatcher]?
        var actions: [Action]?
        var conditions: [Condition] = []
        var ttl: Int?
        for (k, _, v) in fields(m, allowed: Self.policyKeys, "a policy") {
            switch k {
            case "id":
                if let s = string(v, "id") {
                    if s.isEmpty { report(.invalidValue, "policy id must not be empty", at: v) } else { id = s; idNode = v }
                }
            case "effect":
                if let s = string(v, "effect") {
                    if let e = Effect(rawValue: s) { effect = e } else { report(.invalidValue, "effect must be 'permit' or 'deny', not '\(s)'", at: v) }
                }
            case "description": description = string(v, "description")
            case "subjects": subjects = subjectMatcher(v)
            case "resources": resources = resourceMatchers(v)
            case "actions": actions = actionList(v)
            case "conditions": conditions = conditionList(v) ?? []
            default: ttl = positiveTTL(v)
            }
        }
        for (field, present) in [("id", id != nil), ("subjects", subjects != nil), ("resources", resources != nil), ("actions", actions != nil)]
        where !present && !m.contains(where: { $0.key.string == field }) {
            report(.missingField, "policy\(id.map { " '\($0)'" } ?? "") is missing required key '\(field)'", at: node)
        }
        guard problems.count == before, let id, let subjects, let resources, let actions else { return (nil, id, idNode) }
        return (Policy(id: id, effect: effect, description: description, subjects: subjects, resources: resources,
                       actions: actions, conditions: conditions, ttl: ttl), id, idNode)
    }

    mutating func subjectMatcher(_ node: Node) -> SubjectMatcher? {
        guard let list = sequence(node, "subjects") else { return nil }
        var matcher = SubjectMatcher(roles: [])
        for item in list {
            guard let m = mapping(item, "a subjects entry") else { continue }
            let entries = fields(m, allowed: ["role", "approval"], "a subjects entry")
            if m.count != 1 {
                report(.invalidValue, "a subjects entry must hold exactly one key ('role' or 'approval')", at: item)
                continue
            }
            for (k, _, v) in entries {
                guard let value = string(v, k) else { continue }
                if k == "role" { matcher.roles.append(Role(value)) } else { matcher.approvals.append(Approval(value)) }
            }
        }
        return matcher
    }

    mutating func resourceMatchers(_ node: Node) -> [ResourceMatcher]? {
        guard let list = sequence(node, "resources") else { return nil }
        if list.isEmpty { report(.emptyResources, "resources must not be empty (an empty list would match nothing)", at: node) }
        var out: [ResourceMatcher] = []
        for item in list {
            guard let m = mapping(item, "a resources entry") else { continue }
            var type: ResourceType?
            var attributes: [String: String] = [:]
            for (k, _, v) in fields(m, allowed: nil, "a resources entry") {
                guard let value = string(v, "resource field '\(k)'") else { continue }
                if k == "type" { type = ResourceType(value) } else { attributes[k] = value }
            }
            guard let type else {
                report(.missingField, "a resources entry is missing 'type' (use \"*\" for any type)", at: item)
                continue
            }
            out.append(ResourceMatcher(type: type, attributes: attributes))
        }
        return out
    }

    mutating func actionList(_ node: Node) -> [Action]? {
        guard let list = sequence(node, "actions") else { return nil }
        if list.isEmpty { report(.emptyActions, "actions must not be empty (use [\"*\"] for every action)", at: node) }
        return list.compactMap { string($0, "an action").map(Action.init(rawValue:)) }
    }

    static let conditionKeys = ["ip_range", "time_window", "mfa_required", "audit_logged"]

    mutating func conditionList(_ node: Node) -> [Condition]? {
        guard let list = sequence(node, "conditions") else { return nil }
        var out: [Condition] = []
        for item in list {
            guard let m = mapping(item, "a condition") else { continue }
            guard m.count == 1, let (keyNode, v) = m.first.map({ ($0.key, $0.value) }) else {
                report(.invalidValue, "a condition must hold exactly one key (one of \(Self.conditionKeys.joined(separator: ", ")))", at: item)
                continue
            }
            guard let key = string(keyNode, "a condition type") else { continue }
            switch key {
            case "ip_range":
                var texts: [Node] = []
                if case .sequence = v {
                    texts = sequence(v, "ip_range") ?? []
                    if texts.isEmpty { report(.invalidCIDR, "ip_range must list at least one CIDR", at: v) }
                } else {
                    texts = [v]
                }
                var blocks: [CIDR] = []
                for t in texts {
                    guard let text = string(t, "a CIDR") else { continue }
                    do { blocks.append(try CIDR(text)) } catch { report(.invalidCIDR, error.message, at: t) }
                }
                out.append(.ipRange(blocks))
            case "time_window":
                if let name = string(v, "time_window") {
                    windowReferences.append((name, v))
                    out.append(.timeWindow(name))
                }
            case "mfa_required":
                if let b = bool(v, "mfa_required") { out.append(.mfaRequired(b)) }
            case "audit_logged":
                if let b = bool(v, "audit_logged") { out.append(.auditLogged(b)) }
            default:
                report(.unknownCondition, "unknown condition '\(key)' (known: \(Self.conditionKeys.joined(separator: ", ")))", at: keyNode)
            }
        }
        return out
    }
}
