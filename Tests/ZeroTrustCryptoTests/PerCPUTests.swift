import Testing
import ZeroTrustCPULocal

/// `PerCPU` (one copy of hot shared state per CPU) and `String.unsharedCopy`, which the key ring,
/// header cache, policy set and audit log build on.
@Suite struct PerCPUTests {
    @Test func oneValuePerConfiguredCPUInOrder() {
        let values = PerCPU { cpu in cpu * 10 }
        #expect(values.count == PerCPU<Int>.cpuCount)
        #expect(Array(values.all) == (0..<values.count).map { $0 * 10 })
        // Whichever CPU this runs on, the value is that CPU's.
        #expect(values.all.contains(values.local))
    }

    @Test func oneCopyServesEveryCPU() {
        let single = PerCPU(copies: 1) { _ in "only" }
        #expect(single.count == 1)
        #expect(single.local == "only")
        #expect(PerCPU(copies: 0) { _ in 7 }.count == 1, "at least one copy")
    }

    @Test func valuesAreReleasedWithTheContainer() {
        let counter = DeinitCounter()
        do {
            let tracked = PerCPU(copies: 3) { _ in Tracked(counter) }
            #expect(tracked.count == 3)
            #expect(counter.count == 0)
        }
        #expect(counter.count == 3)
    }

    @Test func unsharedCopyIsEqualWithStorageOfItsOwn() {
        let long = String(repeating: "policy-identifier-", count: 3)
        let copy = long.unsharedCopy
        #expect(copy == long)
        #expect(address(long) != address(copy), "a long string gets a buffer of its own")
        let short = "data_scientist"  // 14 bytes: stored inline, nothing to share
        #expect(short.unsharedCopy == short)
    }

    private func address(_ string: String) -> UInt {
        var string = string
        return string.withUTF8 { UInt(bitPattern: $0.baseAddress) }
    }
}

private final class DeinitCounter: @unchecked Sendable {
    // @unchecked: only touched from one test's task.
    var count = 0
}

private final class Tracked: @unchecked Sendable {
    // @unchecked: see DeinitCounter.
    let counter: DeinitCounter
    init(_ counter: DeinitCounter) { self.counter = counter }
    deinit { counter.count += 1 }
}
