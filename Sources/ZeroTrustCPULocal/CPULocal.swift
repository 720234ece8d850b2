internal import CZeroTrustCPU
internal import Foundation

/// Picks a CPU's own copy of state that every core touches on a hot path.
///
/// Two cores that retain, release or lock the same object take turns on its cache line, and on
/// some machines (virtual ones especially, when the two vCPUs sit on different core complexes)
/// each turn costs a few hundred cycles. A gatekeeper that counted references on shared key,
/// header, policy and audit objects some 75 times per request ran at ~270 k authorizations/s on
/// two cores in such a period; without those counts, ~340 k (Performance.md, gatekeeper). Keeping
/// one copy per CPU in an array of ``copies`` elements and using
/// `copies[CPULocal.index(copies.count)]` keeps those counts in the core's own cache. (Reading
/// an element of an array that a class holds in a `let` counts no reference on the array.)
///
/// The CPU is only a hint: a thread can move between picking a copy and using it, so every copy
/// must be safe to use from any thread, and the copies must be interchangeable.
package enum CPULocal {
    /// How many copies to keep: the configured CPUs (which `sched_getcpu` numbers from 0), at
    /// least 1 and at most ``maximumCopies``. Beyond that, CPUs share copies (by number modulo the
    /// count), which stays correct and bounds the memory: each copy of a key ring holds its own
    /// copy of every HMAC secret.
    package static var copies: Int { min(maximumCopies, max(1, ProcessInfo.processInfo.processorCount)) }

    /// The most copies kept of any state.
    package static let maximumCopies = 64

    /// The index of the calling CPU's copy among `count` copies.
    @inlinable
    package static func index(_ count: Int) -> Int { Int(currentCPU()) % max(1, count) }

    /// `sched_getcpu()`, 0 when unknown (through a C shim: Glibc's module does not export it).
    @usableFromInline
    static func currentCPU() -> UInt32 { zt_current_cpu() }
}

/// Two cache lines of nothing, stored after a CPU's lock in its copy's object, so that two CPUs'
/// copies (separate allocations, often adjacent) never share a cache line.
package struct CacheLinePadding: Sendable {
    private let words = (UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0),
                         UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0))

    package init() {}
}
