import Synchronization
internal import ZeroTrustCPULocal

/// The policy decision point: decides ``AccessRequest``s against the active compiled policy set,
/// and lets you swap that set atomically at runtime.
///
/// ```swift
/// let pdp = try PolicyDecisionPoint(PolicyLoader.load(yaml: text))
/// let decision = pdp.authorize(request)
/// if decision.authorized { … }
/// try pdp.replace(with: newSet)   // hot reload; readers never wait for compilation
/// ```
///
/// `authorize(_:)` is synchronous and safe from any number of threads. A reader holds the lock
/// only to copy the reference to the active set (a pointer load and a retain); compilation of a
/// replacement happens before the lock is taken, so readers are never blocked by a reload, and
/// each decision is made entirely against one set (the one its ``Decision/policyVersion`` names).
public final class PolicyDecisionPoint: Sendable {
    /// The active set, once per CPU (`CPULocal`): a decision runs under its CPU's lock with the
    /// set borrowed, so cores deciding at once neither take turns on one lock nor count references
    /// on the shared set. ``replace(with:)`` swaps every copy.
    private let active: [Slot]

    private final class Slot: Sendable {
        let set: Mutex<CompiledPolicySet>
        private let padding = CacheLinePadding()
        init(_ set: CompiledPolicySet) { self.set = Mutex(set) }
    }

    /// Compiles `set` and makes it active.
    /// - Parameters:
    ///   - set: the policy set to compile.
    ///   - maximumTTL: the cap on every permit's ttl, in seconds (default one day).
    public convenience init(_ set: PolicySet, maximumTTL: Int = 86_400) throws(PolicyError) {
        self.init(compiled: try CompiledPolicySet(set, maximumTTL: maximumTTL))
    }

    /// Makes an already compiled set active.
    public init(compiled: CompiledPolicySet) {
        active = (0..<CPULocal.copies).map { _ in Slot(compiled) }
    }

    /// The active compiled set (a snapshot: later replacements do not change it).
    public var current: CompiledPolicySet {
        active[CPULocal.index(active.count)].set.withLock { $0 }
    }

    /// The content hash of the active set.
    public var policyVersion: String { current.policyVersion }

    /// Decides `request` against the active set.
    public func authorize(_ request: AccessRequest) -> Decision {
        active[CPULocal.index(active.count)].set.withLock { $0.authorize(request, explain: false) }
    }

    /// Decides `request` and, when `explain` is `true`, attaches an ``Explanation``.
    public func authorize(_ request: AccessRequest, explain: Bool) -> Decision {
        active[CPULocal.index(active.count)].set.withLock { $0.authorize(request, explain: explain) }
    }

    /// Compiles `set` (outside the lock) and swaps it in atomically. On error the active set is
    /// unchanged. Uses the maximum ttl of the set being replaced.
    public func replace(with set: PolicySet) throws(PolicyError) {
        let compiled = try CompiledPolicySet(set, maximumTTL: current.maximumTTL)
        replace(with: compiled)
    }

    /// Swaps in an already compiled set atomically.
    public func replace(with compiled: CompiledPolicySet) {
        for slot in active { slot.set.withLock { $0 = compiled } }
    }
}
