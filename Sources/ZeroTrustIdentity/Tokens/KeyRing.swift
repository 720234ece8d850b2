import Synchronization
internal import ZeroTrustCPULocal

/// The keys a service signs and verifies tokens with: one active signing key and any number of
/// verification keys, found by `kid`, so keys rotate without downtime.
///
/// Rotation: ``rotate(to:)`` makes a new key active (its verification key is added); tokens signed
/// by the previous key keep verifying until ``removeVerificationKey(keyID:)`` retires it.
///
/// Every CPU reads its own copy of the keys, under a lock of its own, so cores verifying and
/// signing at the same time share no lock and no reference count (HMAC keys are prepared once per
/// CPU). A change is applied to every copy before it returns; while it runs, a concurrent
/// verification may see the ring as it was or as it will be. Rotation adds the new key to every
/// copy before any copy signs with it, so a token signed on one core always verifies on another.
public final class KeyRing: Sendable {
    struct Snapshot: Sendable {
        var signingKey: SigningKey?
        var byKeyID: [String: VerificationKey] = [:]
        var withoutKeyID: [VerificationKey] = []
    }

    /// One CPU's copy of the keys, padded so that two copies' locks never share a cache line.
    private final class Stripe: Sendable {
        let state: Mutex<Snapshot>
        private let padding = CacheLinePadding()
        init(_ snapshot: Snapshot) { state = Mutex(snapshot) }
    }

    private let stripes: [Stripe]
    /// Held while a change is applied to every stripe, so changes never interleave.
    private let changes = Mutex<Void>(())
    /// Advanced after every change has reached every stripe.
    private let changeCount = Atomic<UInt64>(0)
    /// Whether a token without `kid` may be verified (only when exactly one key of its algorithm exists).
    public let allowsMissingKeyID: Bool

    /// A ring with an optional active signing key and extra verification keys.
    public init(signingKey: SigningKey? = nil, verificationKeys: [VerificationKey] = [], allowsMissingKeyID: Bool = false) throws(TokenError) {
        var snapshot = Snapshot()
        for key in verificationKeys { try Self.add(key, to: &snapshot) }
        if let signingKey {
            snapshot.signingKey = signingKey
            try Self.add(signingKey.verificationKey, to: &snapshot, replacing: true)
        }
        let copies = try Self.copies(CPULocal.copies) { (cpu) throws(TokenError) in
            cpu == 0 ? snapshot : try Self.replica(of: snapshot)
        }
        stripes = copies.map(Stripe.init)
        self.allowsMissingKeyID = allowsMissingKeyID
    }

    /// Which version of the keys this is: a key found by ``key(keyID:algorithm:)`` after reading
    /// it may be used again without looking it up while it has not changed. It changes after every
    /// change (rotation, addition, removal) has reached every CPU's copy, before the change returns.
    var generation: UInt64 { changeCount.load(ordering: .acquiring) }

    /// The active signing key, if any: the calling CPU's copy of it (an equal key; for HMAC, one
    /// prepared for that CPU, so sign through ``TokenIssuer`` rather than keeping this one for
    /// use from many cores).
    public var signingKey: SigningKey? { local.state.withLock { $0.signingKey } }

    /// Makes `key` the active signing key and adds (or replaces, for the same `kid`, e.g. a key
    /// pre-published before activation) its verification key. The previous key's
    /// verification key stays until removed.
    public func rotate(to key: SigningKey) throws(TokenError) {
        try changes.withLock { (_) throws(TokenError) in
            defer { changeCount.add(1, ordering: .sequentiallyConsistent) }  // even after a partial change
            let verificationKeys = try copies { (cpu) throws(TokenError) in
                cpu == 0 ? key.verificationKey : try key.verificationKey.replica()
            }
            let signingKeys = try copies { (cpu) throws(TokenError) in cpu == 0 ? key : try key.replica() }
            // Every copy can verify the new key's tokens before any copy signs with it.
            for (cpu, stripe) in stripes.enumerated() {
                try stripe.state.withLock { (snapshot) throws(TokenError) in
                    try Self.add(verificationKeys[cpu], to: &snapshot, replacing: true)
                }
            }
            for (cpu, stripe) in stripes.enumerated() {
                stripe.state.withLock { $0.signingKey = signingKeys[cpu] }
            }
        }
    }

    /// Adds a verification key. A key with the `kid` of an existing key is refused.
    public func addVerificationKey(_ key: VerificationKey) throws(TokenError) {
        try changes.withLock { (_) throws(TokenError) in
            defer { changeCount.add(1, ordering: .sequentiallyConsistent) }  // even after a partial change
            // Every copy holds the same kids, so the first one answers for all.
            if let keyID = key.keyID, stripes[0].state.withLock({ $0.byKeyID[keyID] != nil }) {
                throw TokenError(code: .invalidKey, message: "a key with kid \"\(keyID)\" is already in the ring")
            }
            let keys = try copies { (cpu) throws(TokenError) in cpu == 0 ? key : try key.replica() }
            for (cpu, stripe) in stripes.enumerated() {
                try stripe.state.withLock { (snapshot) throws(TokenError) in try Self.add(keys[cpu], to: &snapshot) }
            }
        }
    }

    /// Removes the verification key with `keyID`; tokens naming it stop verifying. The active
    /// signing key cannot be removed this way: rotate first. Returns whether a key was removed.
    @discardableResult
    public func removeVerificationKey(keyID: String) throws(TokenError) -> Bool {
        try changes.withLock { (_) throws(TokenError) in
            defer { changeCount.add(1, ordering: .sequentiallyConsistent) }  // even after a partial change
            if stripes[0].state.withLock({ $0.signingKey?.keyID == keyID }) {
                throw TokenError(code: .invalidKey, message: "key \"\(keyID)\" is the active signing key; rotate before removing it")
            }
            var removed = false
            for stripe in stripes {
                removed = stripe.state.withLock { $0.byKeyID.removeValue(forKey: keyID) != nil } || removed
            }
            return removed
        }
    }

    /// Every verification key: those with a `kid` in `kid` order, then those without in the
    /// order they were added.
    public var verificationKeys: [VerificationKey] {
        local.state.withLock { snapshot in
            snapshot.byKeyID.sorted { $0.key < $1.key }.map(\.value) + snapshot.withoutKeyID
        }
    }

    /// The key for a token's header: by `kid`, whose algorithm must equal `alg`; without `kid`,
    /// only when allowed and exactly one key of that algorithm exists.
    func key(keyID: String?, algorithm: JWSAlgorithm) throws(TokenError) -> VerificationKey {
        let stripe = local
        if let keyID {
            // Look up under the lock and copy out only the key, not the whole snapshot.
            guard let key = stripe.state.withLock({ $0.byKeyID[keyID] }) else {
                throw TokenError(code: .unknownKey, message: "no key with kid \"\(keyID.prefix(64))\"")
            }
            guard key.algorithm == algorithm else {
                throw TokenError(code: .algorithmNotAllowed,
                                 message: "token alg \(algorithm.rawValue) is not the algorithm of key \"\(keyID.prefix(64))\" (\(key.algorithm.rawValue))")
            }
            return key
        }
        guard allowsMissingKeyID else {
            throw TokenError(code: .unknownKey, message: "token has no kid, and this key ring requires one")
        }
        let candidates = stripe.state.withLock { snapshot in
            (Array(snapshot.byKeyID.values) + snapshot.withoutKeyID).filter { $0.algorithm == algorithm }
        }
        guard candidates.count == 1, let only = candidates.first else {
            throw TokenError(code: .unknownKey,
                             message: "token has no kid and \(candidates.count) keys use \(algorithm.rawValue); exactly one is required")
        }
        return only
    }

    /// Every CPU's copy as (active kid, verification kids), in CPU order: what tests compare to
    /// see that a change reached every copy.
    var keyIDsOfEveryCopy: [(signing: String?, verifying: Set<String>)] {
        stripes.map { stripe in
            stripe.state.withLock { ($0.signingKey?.keyID, Set($0.byKeyID.keys)) }
        }
    }

    /// The copy of the CPU the caller runs on.
    private var local: Stripe { stripes[CPULocal.index(stripes.count)] }

    /// One value per stripe, all made before any stripe changes, so a failure changes nothing.
    private func copies<T>(_ make: (Int) throws(TokenError) -> T) throws(TokenError) -> [T] {
        try Self.copies(stripes.count, make)
    }

    private static func copies<T>(_ count: Int, _ make: (Int) throws(TokenError) -> T) throws(TokenError) -> [T] {
        var made: [T] = []
        made.reserveCapacity(count)
        for cpu in 0..<count { made.append(try make(cpu)) }
        return made
    }

    /// `snapshot` with every key replaced by its replica (and the kid strings by copies).
    private static func replica(of snapshot: Snapshot) throws(TokenError) -> Snapshot {
        var copy = Snapshot()
        copy.signingKey = try snapshot.signingKey?.replica()
        for (keyID, key) in snapshot.byKeyID { copy.byKeyID[keyID.unsharedCopy] = try key.replica() }
        for key in snapshot.withoutKeyID { copy.withoutKeyID.append(try key.replica()) }
        return copy
    }

    private static func add(_ key: VerificationKey, to snapshot: inout Snapshot, replacing: Bool = false) throws(TokenError) {
        guard let keyID = key.keyID else {
            snapshot.withoutKeyID.append(key)
            return
        }
        if !replacing, snapshot.byKeyID[keyID] != nil {
            throw TokenError(code: .invalidKey, message: "a key with kid \"\(keyID)\" is already in the ring")
        }
        snapshot.byKeyID[keyID] = key
    }
}
