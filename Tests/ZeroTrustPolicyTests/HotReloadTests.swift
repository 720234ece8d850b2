import Foundation
import Testing
@testable import ZeroTrustPolicy

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

    /// Every CPU has its own slot. A second replacement started while a first is between slots
    /// must wait for it, so that every slot ends with one set (the later one), never some slots
    /// with one and some with the other. (With one CPU there is one slot and nothing to test.)
    @Test func aReplacementWaitsForOneInProgress() throws {
        let first = try CompiledPolicySet(set(allowing: .readData)), second = try CompiledPolicySet(set(allowing: .writeData))
        let pdp = PolicyDecisionPoint(compiled: first)
        #expect(pdp.versionsOfEverySlot.count == min(64, max(1, ProcessInfo.processInfo.processorCount)))
        guard pdp.versionsOfEverySlot.count > 1 else { return }
        let secondDone = DispatchSemaphore(value: 0)
        pdp.replace(with: first) { slot in
            guard slot == 0 else { return }
            Thread { pdp.replace(with: second); secondDone.signal() }.start()
            // Serialised, the second replacement cannot finish now: this wait times out.
            _ = secondDone.wait(timeout: .now() + .milliseconds(200))
        }
        #expect(secondDone.wait(timeout: .now() + 10) == .success)
        #expect(pdp.versionsOfEverySlot == Array(repeating: second.policyVersion, count: pdp.versionsOfEverySlot.count))
    }
}
