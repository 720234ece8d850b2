import Testing
import ZeroTrustCPULocal

/// `CPULocal` (which copy of hot shared state a CPU uses) and `String.unsharedCopy`, which the
/// key ring, header cache, HMAC key, policy set and audit log build on.
@Suite struct CPULocalTests {
    @Test func oneCopyPerConfiguredCPUAndAnIndexAmongThem() {
        #expect(CPULocal.copies >= 1 && CPULocal.copies <= CPULocal.maximumCopies)
        for count in [1, 2, 3, CPULocal.copies, 64] {
            #expect((0..<count).contains(CPULocal.index(count)))
        }
        #expect(CPULocal.index(1) == 0, "one copy serves every CPU")
        #expect(CPULocal.index(0) == 0, "no copies is treated as one")
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
