/// Where the custom members of one payload are, recorded while the payload parser skips them
/// (``TokenClaims``). Each member is first compared in place with the matching member of a
/// remembered entry (one whose first member starts the same way); once one differs, members are
/// skipped by structure alone and the whole set looked up (or parsed) afterwards.
struct CustomMemberSpans {
    private let storage: UnsafeMutableBufferPointer<Range<Int>>
    /// Nil when not recording: custom members are then parsed as they come. Unretained: the
    /// spans live only inside one parse, whose caller holds the cache. (A strong reference, and
    /// even an `unowned(unsafe)` one, was retained and released six times a token; the cache is
    /// one object that every core's verifications share, so on two cores each count moved its
    /// cache line from one core to the other.)
    private let cache: Unmanaged<CustomClaimsCache>?
    private(set) var count = 0
    /// The entry every member so far equals, member for member; nil once one did not.
    private var candidate: CustomClaimsCache.Entry?
    private var comparing = true
    /// False when no remembered entry starts with the first member: looking the members up is
    /// then pointless.
    private(set) var mayBeRemembered = true

    init(storage: UnsafeMutableBufferPointer<Range<Int>>, cache: CustomClaimsCache) {
        self.storage = storage
        self.cache = Unmanaged.passUnretained(cache)
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
                candidate = cache._withUnsafeGuaranteedRef { $0.entry(firstMemberAt: offset, in: payload) }
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
