import Foundation
import Testing
import ZeroTrustPolicy

enum Fixtures {
    static func url(_ name: String) throws -> URL {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil))
        return url
    }

    static func text(_ name: String) throws -> String {
        try String(contentsOf: url(name), encoding: .utf8)
    }

    static func seedSet() throws -> PolicySet {
        try PolicyLoader.load(contentsOf: url("policy-example.yaml"))
    }
}

/// Parses an RFC 3339 time, failing the test on a bad literal.
func at(_ text: String) throws -> Date {
    try #require(RFC3339.date(from: text))
}

func ip(_ text: String) throws -> IPAddress {
    try #require(IPAddress(text))
}

func request(
    subject: String = "alice", roles: [Role] = [], approvals: [Approval] = [],
    type: ResourceType, attributes: [String: String] = [:], action: Action,
    ip: String? = nil, time: String? = nil, mfa: Bool? = nil
) throws -> AccessRequest {
    AccessRequest(
        subject: .init(id: subject, roles: roles, approvals: approvals),
        resource: .init(type: type, id: "r-1", attributes: attributes),
        action: action,
        context: .init(ip: try ip.map { try #require(IPAddress($0)) }, time: try time.map { try at($0) }, mfaVerified: mfa)
    )
}

/// A one-policy set, for rule-by-rule tests.
func single(_ policy: Policy, windows: [TimeWindow] = [], defaults: PolicyDefaults = PolicyDefaults()) throws -> CompiledPolicySet {
    try CompiledPolicySet(PolicySet(defaults: defaults, timeWindows: Dictionary(uniqueKeysWithValues: windows.map { ($0.name, $0) }), policies: [policy]))
}
