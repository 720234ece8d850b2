import Synchronization
internal import ZeroTrustCPULocal

/// The policy decision point: decides ``AccessRequest``s against the active compiled policy set,
/// and lets you replace that set at runtime.
///
/// ```swift
/// let pdp = try PolicyDecisionPoint(PolicyLoader.load(yaml: text))
/// let decision = pdp.authorize(request)
/// if decision.authorized { … }
/// try pdp.replace(with: newSet)   // hot reload; readers never wait for compilation
/// ```
///
/// `authorize(_:)` is synchronous and safe from any number of threads. Each CPU has its own slot
/// holding the active set, and a decision runs under its CPU's lock with the set borrowed, so
/// cores deciding at once share no lock and count no reference on the set. Compilation of a
/// replacement happens before any lock is taken; swapping it in then takes each CPU's lock in turn
/// (waiting for at most the one decision in flight there), and replacements are serialised, so
/// every slot ends up with the last set passed. Each decision is made entirely against one set
/// (the one its ``Decision/policyVersion`` names); while a replacement is being swapped in, a
/// caller that moves between CPUs may see the new set and then, once, the old one.
public final class PolicyDecisionPoint: Sendable {
    /// The active set, once per CPU (`CPULocal`): a decision runs under its CPU's lock with the
    /// set borrowed, so cores deciding at once neither take turns on one lock nor count references
    /// on the shared set. ``replace(with:)`` swaps every copy.
    private let active: [Slot]
    /// Held while a replacement is swapped into every slot, so two replacements never interleave.
    private let replacing = Mutex<Void>(())

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
        local.set.withLock { $0 }
    }

    /// The content hash of the active set.
    public var policyVersion: String { current.policyVersion }

    /// Decides `request` against the active set.
    public func authorize(_ request: AccessRequest) -> Decision {
        local.set.withLock { $0.authorize(request, explain: false) }
    }

    /// Decides `request` and, when `explain` is `true`, attaches an ``Explanation``.
    public func authorize(_ request: AccessRequest, explain: Bool) -> Decision {
        local.set.withLock { $0.authorize(request, explain: explain) }
    }

    /// Compiles `set` (outside any lock) and swaps it into every CPU's slot before returning. On
    /// error the active set is unchanged. Uses the maximum ttl of the set being replaced.
    public func replace(with set: PolicySet) throws(PolicyError) {
        let compiled = try CompiledPolicySet(set, maximumTTL: current.maximumTTL)
        replace(with: compiled)
    }

    /// The slot of the CPU the caller runs on.
    private var local: Slot { active[CPULocal.index(active.count)] }

    /// The version of the set in each CPU's slot, in CPU order: what tests compare to see that a
    /// replacement reached every slot.
    var versionsOfEverySlot: [String] {
        active.map { slot in slot.set.withLock { $0.policyVersion } }
    }

    /// Swaps an already compiled set into every CPU's slot before returning.
    public func replace(with compiled: CompiledPolicySet) {
        replace(with: compiled, afterSlot: { _ in })
    }

    /// ``replace(with:)``, calling `afterSlot` with each slot's index once it holds the new set
    /// (tests use it to run a second replacement in the middle of one).
    func replace(with compiled: CompiledPolicySet, afterSlot: (Int) -> Void) {
        replacing.withLock { _ in
            for (index, slot) in active.enumerated() {
                slot.set.withLock { $0 = compiled }
                afterSlot(index)
            }
        }
    }
}
