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

        /// The text of member `index` (less than ``memberCount``).
        func member(_ index: Int) -> UnsafeBufferPointer<UInt8> {
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
        /// The entries, the next to replace, and how many payloads in a row were remembered
        /// since a lookup last found an entry.
        let state = Mutex<(entries: [Entry], next: Int, missesInARow: Int)>(([], 0, 0))
        /// Payloads still to parse without the cache.
        let bypassing = Atomic<Int>(0)
        private let padding = CacheLinePadding()
    }

    /// After this many lookups in a row found nothing on one CPU, the next ``bypassLength``
    /// payloads there are parsed without the cache: a stream of tokens whose custom claims never
    /// repeat (so that every lookup is a miss, which costs more than parsing alone) then pays for
    /// the cache on one payload in nine only.
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

    /// The claims remembered for exactly the members at `spans` of `payload`, if any.
    func claims(for spans: UnsafeBufferPointer<Range<Int>>, in payload: UnsafeBufferPointer<UInt8>) -> [String: JSONValue]? {
        local.state.withLock { state in
            for entry in state.entries where entry.matches(spans, in: payload) {
                state.missesInARow = 0
                return entry.claims
            }
            return nil
        }
    }

    /// An entry whose first member's text starts at `offset` of `payload`: the candidate a reader
    /// compares the payload's next custom members with. Nil means that no entry's first member is
    /// there, so no entry can match this payload.
    func entry(firstMemberAt offset: Int, in payload: UnsafeBufferPointer<UInt8>) -> Entry? {
        local.state.withLock { state in
            for entry in state.entries where entry.member(0, isAt: offset, in: payload) {
                state.missesInARow = 0  // nearly always a hit; a miss after it counts from one
                return entry
            }
            return nil
        }
    }

    /// Remembers what the members at `spans` of a verified `payload` parsed to, after a lookup
    /// found nothing (and counts that miss, see ``missLimit``). Two threads on one CPU may both
    /// remember the same members; that only spends a slot, so no second search under the lock.
    func remember(_ claims: [String: JSONValue], for spans: UnsafeBufferPointer<Range<Int>>, in payload: UnsafeBufferPointer<UInt8>) {
        let entry = spans.reduce(0, { $0 + $1.count }) <= Self.maximumTextByteCount
            ? Entry(members: spans, of: payload, claims: claims) : nil
        let stripe = local
        stripe.state.withLock { state in
            state.missesInARow += 1
            if state.missesInARow >= Self.missLimit {
                state.missesInARow = 0
                stripe.bypassing.store(Self.bypassLength, ordering: .relaxed)
            }
            guard let entry else { return }
            if state.entries.count < Self.capacity {
                state.entries.append(entry)
            } else {
                state.entries[state.next] = entry
                state.next = (state.next + 1) % Self.capacity
            }
        }
    }
}

/// Where the custom members of one payload are, recorded while the payload parser skips them
/// (``TokenClaims``). Each member is first compared in place with the matching member of a
/// remembered entry (one whose first member starts the same way); once one differs, members are
/// skipped by structure alone and the whole set looked up (or parsed) afterwards.
struct CustomMemberSpans {
    private let storage: UnsafeMutableBufferPointer<Range<Int>>
    /// Nil when not recording: custom members are then parsed as they come.
    private let cache: CustomClaimsCache?
    private(set) var count = 0
    /// The entry every member so far equals, member for member; nil once one did not.
    private var candidate: CustomClaimsCache.Entry?
    private var comparing = true
    /// False when no remembered entry starts with the first member: looking the members up is
    /// then pointless.
    private(set) var mayBeRemembered = true

    init(storage: UnsafeMutableBufferPointer<Range<Int>>, cache: CustomClaimsCache) {
        self.storage = storage
        self.cache = cache
    }

    /// Records nothing.
    init() {
        storage = UnsafeMutableBufferPointer(start: nil, count: 0)
        cache = nil
    }

    /// Whether custom members are to be skipped and recorded.
    var isRecording: Bool { cache != nil }

    /// The spans recorded so far.
    var spans: UnsafeBufferPointer<Range<Int>> { UnsafeBufferPointer(rebasing: storage[..<count]) }

    /// The remembered claims, if every member equalled the candidate's and there are as many.
    var matchedClaims: [String: JSONValue]? {
        guard let candidate, candidate.memberCount == count else { return nil }
        return candidate.claims
    }

    /// Records the custom member whose name starts at `offset` and moves `parser` past its value;
    /// false if there is no room or the value does not end before the payload does.
    mutating func skipMember(at offset: Int, in payload: UnsafeBufferPointer<UInt8>, parser: inout StrictJSONParser) -> Bool {
        guard count < storage.count, let cache else { return false }
        if comparing {
            if count == 0 {
                candidate = cache.entry(firstMemberAt: offset, in: payload)
                mayBeRemembered = candidate != nil
            }
            if let candidate, count < candidate.memberCount, parser.skipValue(ifTextFrom: offset, equals: candidate.member(count)) {
                storage[count] = offset..<parser.offset
                count += 1
                return true
            }
            comparing = false
            candidate = nil
        }
        guard parser.skipValueUnchecked() else { return false }
        storage[count] = offset..<parser.offset
        count += 1
        return true
    }
}
