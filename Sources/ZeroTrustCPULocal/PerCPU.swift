internal import CZeroTrustCPU
internal import Foundation

/// One value per CPU, for state that every core touches on a hot path.
///
/// Two cores that retain, release or lock the same object take turns on its cache line, and on
/// some machines (virtual ones especially, when the two vCPUs sit on different core complexes)
/// each turn costs a few hundred cycles. A gatekeeper that counted references on shared key,
/// header and policy objects some 70 times per request lost half its two-core throughput that way.
/// Giving each CPU its own copy of such an object keeps those counts in the core's own cache.
///
/// The CPU is only a hint: a thread can move between reading ``local`` and using the value, so
/// every value must be safe to use from any thread (they are `Sendable`), and the copies must be
/// interchangeable. The values live in one unmanaged buffer, so reaching one costs no reference
/// count on a shared object (an `Array` of them would count its own buffer on every access).
package struct PerCPU<Value: Sendable>: ~Copyable, @unchecked Sendable {
    private let base: UnsafeMutablePointer<Value>
    /// How many copies there are.
    package let count: Int

    /// One value per configured CPU, made by `make(cpu)`.
    package init(_ make: (Int) throws -> Value) rethrows {
        try self.init(copies: Self.cpuCount, make)
    }

    /// `copies` values (at least 1), shared out by CPU number modulo `copies`; one copy suits a
    /// value that is itself one CPU's copy of something.
    package init(copies: Int, _ make: (Int) throws -> Value) rethrows {
        // Made first, then moved into the buffer, so a throwing `make` leaves nothing to clean up.
        let made = try (0..<max(1, copies)).map(make)
        base = .allocate(capacity: made.count)
        base.initialize(from: made, count: made.count)
        count = made.count
    }

    deinit {
        base.deinitialize(count: count)
        base.deallocate()
    }

    /// The value of the CPU the caller is running on now, read in place (no copy, so reading a
    /// member of it counts a reference on that member only).
    package var local: Value {
        unsafeAddress { UnsafePointer(base + Int(zt_current_cpu()) % count) }
    }

    /// Every CPU's value, in CPU order (for changes, which must reach every copy).
    package var all: UnsafeBufferPointer<Value> { UnsafeBufferPointer(start: base, count: count) }

    /// The configured CPUs (at least 1): `sched_getcpu` numbers CPUs below this count.
    package static var cpuCount: Int { max(1, ProcessInfo.processInfo.processorCount) }
}
