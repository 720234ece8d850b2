import Foundation
import Testing
import ZeroTrustPolicy

@Suite struct HotReloadTests {
    func set(allowing action: Action) -> PolicySet {
        PolicySet { Policy.permit("allow_\(action)") { Role.any; ResourceMatcher(.any); action } }
    }

    @Test func replaceSwapsTheActiveSet() throws {
        let pdp = try PolicyDecisionPoint(set(allowing: .readData))
        let r = try request(type: .dataset, action: .writeData)
        let before = pdp.policyVersion
        #expect(!pdp.authorize(r).authorized)
        try pdp.replace(with: set(allowing: .writeData))
        #expect(pdp.authorize(r).authorized)
        #expect(pdp.policyVersion != before)
        #expect(pdp.authorize(r).policyVersion == pdp.policyVersion)
    }

    @Test func failedReplaceKeepsTheOldSet() throws {
        let pdp = try PolicyDecisionPoint(set(allowing: .readData))
        let version = pdp.policyVersion
        let bad = PolicySet(policies: [Policy(id: "x", subjects: .init(roles: [.any]), resources: [], actions: [], conditions: [.timeWindow("nope")])])
        #expect(throws: PolicyError.self) { try pdp.replace(with: bad) }
        #expect(pdp.policyVersion == version)
    }

    @Test func decisionsStayConsistentUnderConcurrentReloads() async throws {
        let setA = set(allowing: .readData), setB = set(allowing: .writeData)
        let a = try CompiledPolicySet(setA), b = try CompiledPolicySet(setB)
        let pdp = PolicyDecisionPoint(compiled: a)
        let read = try request(type: .dataset, action: .readData)
        let versions = [a.policyVersion: true, b.policyVersion: false]
        let inconsistent = await withTaskGroup(of: Int.self) { group in
            group.addTask {
                for i in 0..<2_000 { pdp.replace(with: i.isMultiple(of: 2) ? b : a) }
                return 0
            }
            for _ in 0..<4 {
                group.addTask {
                    var bad = 0
                    for _ in 0..<20_000 {
                        let d = pdp.authorize(read)
                        // Each decision comes entirely from one set: its version predicts its outcome.
                        if versions[d.policyVersion] != d.authorized { bad += 1 }
                    }
                    return bad
                }
            }
            return await group.reduce(0, +)
        }
        #expect(inconsistent == 0)
        #expect([a.policyVersion, b.policyVersion].contains(pdp.policyVersion))
    }
}
