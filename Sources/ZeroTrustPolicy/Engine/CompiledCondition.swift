import Foundation

/// A ``Condition`` resolved for evaluation: CIDRs as integer ranges, windows resolved.
enum CompiledCondition: Sendable {
    case ip(lower: [UInt128], upper: [UInt128], blocks: [CIDR])
    case time(CompiledTimeWindow)
    case mfa
    case always

    init(_ condition: Condition, in set: PolicySet, policyID: String) throws(PolicyError) {
        switch condition {
        case let .ipRange(blocks):
            self = .ip(lower: blocks.map(\.network.value), upper: blocks.map(\.lastAddress.value), blocks: blocks)
        case let .timeWindow(name):
            guard let window = set.timeWindow(named: name) else {
                throw PolicyError(code: .unknownTimeWindow, message: "policy '\(policyID)': unknown time window '\(name)'")
            }
            self = .time(try CompiledTimeWindow(window, defaultTimeZone: set.defaults.timeZone))
        case let .mfaRequired(required): self = required ? .mfa : .always
        case .auditLogged: self = .always
        }
    }

    @inline(__always)
    func holds(_ context: AccessRequest.Context) -> Bool {
        switch self {
        case let .ip(lower, upper, _):
            guard let ip = context.ip?.value else { return false }
            for i in lower.indices where ip >= lower[i] && ip <= upper[i] { return true }
            return false
        case let .time(window):
            guard let time = context.time else { return false }
            return window.contains(time)
        case .mfa:
            return context.mfaVerified == true
        case .always:
            return true
        }
    }

    /// The reason this condition fails, or `nil` when it holds (explanations only).
    func failure(_ context: AccessRequest.Context) -> String? {
        if holds(context) { return nil }
        switch self {
        case let .ip(_, _, blocks):
            let list = blocks.map(\.description).joined(separator: ", ")
            guard let ip = context.ip else { return "ip_range: context.ip is missing" }
            return "ip \(ip) not in \(list)"
        case let .time(window):
            guard let time = context.time else { return "time_window \(window.window.name): context.time is missing" }
            return "time \(RFC3339.string(from: time)) (\(window.describeLocal(time))) outside window \(window.window.name) (\(window.summary))"
        case .mfa:
            return context.mfaVerified == nil ? "mfa_required: context.mfa_verified is missing" : "mfa_required: mfa_verified is false"
        case .always:
            return nil
        }
    }

    /// A description of the holding condition (explanations only).
    func success(_ context: AccessRequest.Context) -> String {
        switch self {
        case let .ip(_, _, blocks): "ip \(context.ip?.description ?? "?") in \(blocks.map(\.description).joined(separator: ", "))"
        case let .time(window): "time in window \(window.window.name)"
        case .mfa: "mfa verified"
        case .always: "holds"
        }
    }
}
