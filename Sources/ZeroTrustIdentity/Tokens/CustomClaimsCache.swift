internal import Foundation
import Synchronization
internal import ZeroTrustCPULocal

/// The custom claims of recently verified payloads, keyed by the exact text of their members.
///
/// The tokens one principal presents differ in `jti`, `iat`, `nbf` and `exp`, but carry the same
/// `roles`, `permissions`, `org` or `amr` claims every time; parsing those again into strings,
/// arrays and a dictionary is most of a payload's cost. Parsing is a pure function of the bytes,
/// so the payload parser skips over the custom members and looks their text up here; on a hit the
/// claims are the remembered dictionary (shared, copied on write). Only text that the strict parser
/// accepted is remembered, and only from payloads whose signature verified, so forged tokens can
/// neither fill nor churn the cache, and a hit means these exact bytes were strictly parsed before.
final class CustomClaimsCache: Sendable {
    /// The custom members of one payload: where each member's text ends and the texts (name,
    /// colon, value) back to back, in one allocation of its own, immutable and freed with the
    /// entry (so a reader holding the entry compares against it in place); and what they parsed to.
    final class Entry: @unchecked Sendable {
        /// `memberCount` end offsets (`Int`), then the texts.
        private let storage: UnsafeMutableRawPointer
        let memberCount: Int
        let claims: [String: JSONValue]

        init(members spans: UnsafeBufferPointer<Range<Int>>, of payload: UnsafeBufferPointer<UInt8>, claims: [String: JSONValue]) {
            memberCount = spans.count
            let textByteCount = spans.reduce(0) { $0 + $1.count }
            storage = .allocate(byteCount: spans.count * MemoryLayout<Int>.stride + textByteCount, alignment: MemoryLayout<Int>.alignment)
            let ends = storage.bindMemory(to: Int.self, capacity: spans.count)
            let text = (storage + spans.count * MemoryLayout<Int>.stride).bindMemory(to: UInt8.self, capacity: textByteCount)
            var end = 0
            for (index, span) in spans.enumerated() {
                if let source = payload.baseAddress { (text + end).initialize(from: source + span.lowerBound, count: span.count) }
                end += span.count
                (ends + index).initialize(to: end)
            }
            self.claims = claims
        }

        deinit { storage.deallocate() }

        /// The text of member `index`; empty when there is no such member.
        func member(_ index: Int) -> UnsafeBufferPointer<UInt8> {
            guard index >= 0, index < memberCount else { return UnsafeBufferPointer(start: nil, count: 0) }
            let ends = storage.assumingMemoryBound(to: Int.self)
            let start = index == 0 ? 0 : ends[index - 1]
            let text = (storage + memberCount * MemoryLayout<Int>.stride).assumingMemoryBound(to: UInt8.self)
            return UnsafeBufferPointer(start: text + start, count: ends[index] - start)
        }

        /// Whether `payload` holds member `index`'s text at `offset`.
        func member(_ index: Int, isAt offset: Int, in payload: UnsafeBufferPointer<UInt8>) -> Bool {
            let member = member(index)
            guard offset >= 0, offset + member.count <= payload.count, let payloadBase = payload.baseAddress,
                  let memberBase = member.baseAddress else { return false }
            return memcmp(memberBase, payloadBase + offset, member.count) == 0
        }

        /// Whether the members at `spans` of `payload` are exactly this entry's, one by one.
        func matches(_ spans: UnsafeBufferPointer<Range<Int>>, in payload: UnsafeBufferPointer<UInt8>) -> Bool {
            guard spans.count == memberCount else { return false }
            for (index, span) in spans.enumerated() where span.count != member(index).count || !member(index, isAt: span.lowerBound, in: payload) {
                return false
            }
            return true
        }
    }

    /// Enough for the principals a CPU serves in a burst; beyond it entries are replaced
    /// round-robin.
    static let capacity = 16
    /// Longer member texts are not remembered: this bounds the memory the cache holds.
    static let maximumTextByteCount = 512
    /// Payloads with more custom members than this are parsed without the cache.
    static let maximumMemberCount = 16

    /// One cache per CPU (`CPULocal`), as in ``HeaderCache``: a remembered dictionary is counted
    /// by the core that remembered it, and two cores never take turns on one lock.
    private final class Stripe: Sendable {
        let state = Mutex(RecentEntries<Entry>(capacity: CustomClaimsCache.capacity))
        /// Payloads parsed through the cache since one last found its custom claims there.
        let missesInARow = Atomic<Int>(0)
        /// Payloads still to parse without the cache (at most one thread per CPU takes the last
        /// one, so it may dip below zero, which means none).
        let bypassing = Atomic<Int>(0)
        private let padding = CacheLinePadding()
    }

    /// After this many payloads in a row on one CPU did not find their custom claims here (a
    /// miss, or too many custom members to cache), the next ``bypassLength`` payloads there are
    /// parsed without the cache: a stream of tokens whose custom claims never repeat (so that
    /// every lookup is a miss, which costs more than parsing alone) then pays for the cache on one
    /// payload in nine only.
    static let missLimit = 32
    static let bypassLength = 256

    private let stripes: [Stripe]
    private var local: Stripe { stripes[CPULocal.index(stripes.count)] }

    /// A cache with one copy per CPU, or `copies` (tests use one, to see every entry they add).
    init(copies: Int = CPULocal.copies) {
        stripes = (0..<max(copies, 1)).map { _ in Stripe() }
    }

    /// How many entries all copies hold.
    var entryCount: Int { stripes.reduce(0) { count, stripe in count + stripe.state.withLock { $0.entries.count } } }

    /// Whether to parse this payload without the cache (see ``missLimit``).
    func isBypassed() -> Bool {
        let stripe = local
        guard stripe.bypassing.load(ordering: .relaxed) > 0 else { return false }
        stripe.bypassing.subtract(1, ordering: .relaxed)
        return true
    }

    /// Counts a payload whose custom claims were found here (`true`) or not.
    func record(found: Bool) {
        let stripe = local
        if found {
            if stripe.missesInARow.load(ordering: .relaxed) != 0 { stripe.missesInARow.store(0, ordering: .relaxed) }
        } else if stripe.missesInARow.add(1, ordering: .relaxed).newValue >= Self.missLimit {
            stripe.missesInARow.store(0, ordering: .relaxed)
            stripe.bypassing.store(Self.bypassLength, ordering: .relaxed)
        }
    }

    /// The claims remembered for exactly the members at `spans` of `payload`, if any.
    func claims(for spans: UnsafeBufferPointer<Range<Int>>, in payload: UnsafeBufferPointer<UInt8>) -> [String: JSONValue]? {
        local.state.withLock { state in
            for entry in state.entries where entry.matches(spans, in: payload) { return entry.claims }
            return nil
        }
    }

    /// An entry whose first member's text starts at `offset` of `payload`: the candidate a reader
    /// compares the payload's next custom members with. Nil means that no entry's first member is
    /// there, so no entry can match this payload.
    func entry(firstMemberAt offset: Int, in payload: UnsafeBufferPointer<UInt8>) -> Entry? {
        local.state.withLock { state in
            for entry in state.entries where entry.member(0, isAt: offset, in: payload) { return entry }
            return nil
        }
    }

    /// Remembers what the members at `spans` of a verified `payload` parsed to, after a lookup
    /// found nothing. Two threads on one CPU may both remember the same members; that only spends
    /// a slot, so no second search under the lock.
    func remember(_ claims: [String: JSONValue], for spans: UnsafeBufferPointer<Range<Int>>, in payload: UnsafeBufferPointer<UInt8>) {
        guard !spans.isEmpty, spans.reduce(0, { $0 + $1.count }) <= Self.maximumTextByteCount else { return }
        let entry = Entry(members: spans, of: payload, claims: claims)
        local.state.withLock { $0.insert(entry) }
    }
}
