/// Runs a ``PolicyTestSuite`` against a compiled policy set.
public enum PolicyTestRunner {
    /// The outcome of one case.
    public struct Result: Hashable, Sendable {
        /// The case's name.
        public var name: String
        /// Every expectation that did not hold (empty when the case passed).
        public var mismatches: [String]
        /// The decision, with its explanation.
        public var decision: Decision
        /// Whether every expectation held.
        public var passed: Bool { mismatches.isEmpty }
    }

    /// Decides every case (with explanations) and compares the expected fields.
    public static func run(_ suite: PolicyTestSuite, against policies: CompiledPolicySet) -> [Result] {
        suite.cases.map { testCase in
            let d = policies.authorize(testCase.request, explain: true)
            let e = testCase.expect
            var mismatches: [String] = []
            if let want = e.authorized, want != d.authorized {
                mismatches.append("authorized: expected \(want), got \(d.authorized)")
            }
            if case let .some(want) = e.policyID, want != d.policyID {
                mismatches.append("policy_id: expected \(want ?? "null"), got \(d.policyID ?? "null")")
            }
            if let want = e.reason, want != d.reason.code.rawValue {
                mismatches.append("reason: expected \(want), got \(d.reason.code.rawValue)")
            }
            if let want = e.obligations, Set(want) != Set(d.obligations) {
                mismatches.append("obligations: expected \(want.map(\.rawValue)), got \(d.obligations.map(\.rawValue))")
            }
            if let want = e.ttl, want != d.ttl {
                mismatches.append("ttl: expected \(want), got \(d.ttl.map(String.init) ?? "null")")
            }
            return Result(name: testCase.name, mismatches: mismatches, decision: d)
        }
    }
}
