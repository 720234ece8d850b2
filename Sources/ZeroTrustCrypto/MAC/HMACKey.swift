public import Foundation
internal import CZeroTrustOpenSSL
import Synchronization
internal import ZeroTrustCPULocal

/// An HMAC key prepared once and shareable between tasks: the padded key is derived and the digest
/// fetched once, and keyed contexts are recycled through a small pool, so a computation neither
/// allocates nor re-keys in the steady state. The right type for a key that verifies many tokens
/// concurrently.
///
/// ```swift
/// let key = try HMACKey(SymmetricKey(size: .bits256), algorithm: .sha256)
/// let tag = try key.authenticationCode(for: message)
/// ```
public final class HMACKey: Sendable {
    private let template: MACContext
    // Keyed contexts in one stripe per CPU. A context is used by one caller at a time. A caller
    // uses the stripe of the CPU it runs on, so cores computing with one key do not take turns on
    // one lock, and a context tends to stay in the cache of the core that used it last. Each
    // stripe has one resident context (made on the stripe's first use, so a key used once costs
    // one), claimed with a single atomic exchange, which costs less than the lock and array below.
    // A caller that finds it taken (a thread preempted mid-computation, or CPUs sharing a stripe)
    // takes an idle one out of the stripe's pool under its lock instead, and puts it back after.
    // The pool is bounded so that a burst does not pin memory forever: a key keeps at most 4 idle
    // contexts per CPU.
    private let stripes: [ContextStripe]
    private static let stripeLimit = 4
    /// The hash function.
    public let algorithm: HashAlgorithm

    /// Prepares `key` for HMAC with `algorithm`.
    public init(_ key: SymmetricKey, algorithm: HashAlgorithm) throws {
        self.template = try MACContext(key: key, algorithm: algorithm)
        stripes = (0..<CPULocal.copies).map { _ in ContextStripe() }
        self.algorithm = algorithm
    }

    private init(template: MACContext, algorithm: HashAlgorithm) {
        self.template = template
        stripes = [ContextStripe()]
        self.algorithm = algorithm
    }

    /// An independent key computing the same tags, for one CPU's copy of a key that every core
    /// uses (`CPULocal`): it shares no object, and so no reference count, with this one. It keeps
    /// one stripe of contexts, since it is meant for one CPU.
    package func replica() throws -> HMACKey {
        HMACKey(template: try template.copy(), algorithm: algorithm)
    }

    /// The byte length of a tag.
    public var tagByteCount: Int { algorithm.digestByteCount }

    /// Writes the HMAC of `message` into `tag` (at least ``tagByteCount`` bytes); returns the length.
    @discardableResult
    public func authenticate(_ message: UnsafeRawBufferPointer, into tag: UnsafeMutableRawBufferPointer) throws -> Int {
        guard tag.count >= tagByteCount else {
            throw CryptoError(code: .invalidBuffer, message: "HMAC tag buffer holds \(tag.count) bytes, needs \(tagByteCount)")
        }
        return try withContext { context in
            try context.update(message)
            return try context.finalize(into: tag)
        }
    }

    /// The HMAC of `message`.
    public func authenticationCode(for message: some ContiguousBytes) throws -> MessageAuthenticationCode {
        try withContext { context in
            try message.withUnsafeBytes { try context.update($0) }
            return try context.finalize(byteCount: tagByteCount)
        }
    }

    /// Whether `code` is the full-length HMAC of `message`, compared in constant time.
    public func isValidAuthenticationCode(_ code: UnsafeRawBufferPointer, authenticating message: UnsafeRawBufferPointer) throws -> Bool {
        guard code.count == tagByteCount else { return false }
        return try matchesComputedTag(code) { scratch in try authenticate(message, into: scratch) }
    }

    /// Runs `body` with a context keyed and reset for a new message.
    private func withContext<R>(_ body: (MACContext) throws -> R) throws -> R {
        // As in HMACContext: no pre-emptive clear; failures drain the queue into their error.
        let stripe = stripes[CPULocal.index(stripes.count)]
        if stripe.residentInUse.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged {
            defer { stripe.residentInUse.store(false, ordering: .releasing) }
            return try body(try stripe.claimedResident(copying: template))
        }
        let context: MACContext
        if let pooled = stripe.idle.withLock({ $0.popLast() }) {
            try pooled.reset()
            context = pooled
        } else {
            context = try template.copy()
        }
        let result = try body(context)
        // Back to the stripe it came from (the caller may have moved to another CPU meanwhile).
        stripe.idle.withLock { idle in
            if idle.count < Self.stripeLimit { idle.append(context) }
        }
        return result
    }
}

/// One CPU's contexts of an `HMACKey`, padded so that two stripes never share a cache line.
/// `@unchecked Sendable`: `resident` is touched only by whoever set `residentInUse` from false
/// to true, until it sets it back (the exchange acquires, the store releases), as under a lock.
private final class ContextStripe: @unchecked Sendable {
    private var resident: MACContext?
    let residentInUse = Atomic<Bool>(false)
    /// Idle contexts for callers that find the resident one in use.
    let idle = Mutex<[MACContext]>([])
    private let padding = CacheLinePadding()

    /// The resident context, reset for a new message, or (on first use) a fresh copy of
    /// `template`. Only while holding `residentInUse`.
    func claimedResident(copying template: MACContext) throws -> MACContext {
        if let resident {
            try resident.reset()
            return resident
        }
        let context = try template.copy()
        resident = context
        return context
    }
}
