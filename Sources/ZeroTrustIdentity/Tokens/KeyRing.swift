import Synchronization

/// The keys a service signs and verifies tokens with: one active signing key and any number of
/// verification keys, found by `kid`, so keys rotate without downtime.
///
/// Rotation: ``rotate(to:)`` makes a new key active (its verification key is added); tokens signed
/// by the previous key keep verifying until ``removeVerificationKey(keyID:)`` retires it.
///
/// Reads take a snapshot under a lock held for a pointer copy, so verification never waits for a
/// rotation to finish.
public final class KeyRing: Sendable {
    struct Snapshot: Sendable {
        var signingKey: SigningKey?
        var byKeyID: [String: VerificationKey] = [:]
        var withoutKeyID: [VerificationKey] = []
    }

    private let state: Mutex<Snapshot>
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
        self.state = Mutex(snapshot)
        self.allowsMissingKeyID = allowsMissingKeyID
    }

    /// The active signing key, if any.
    public var signingKey: SigningKey? { state.withLock { $0.signingKey } }

    /// Makes `key` the active signing key and adds (or replaces, for the same `kid`, e.g. a key
    /// pre-published before activation) its verification key. The previous key's
    /// verification key stays until removed.
    public func rotate(to key: SigningKey) throws(TokenError) {
        try state.withLock { (snapshot) throws(TokenError) in
            try Self.add(key.verificationKey, to: &snapshot, replacing: true)
            snapshot.signingKey = key
        }
    }

    /// Adds a verification key. A key with the `kid` of an existing key is refused.
    public func addVerificationKey(_ key: VerificationKey) throws(TokenError) {
        try state.withLock { (snapshot) throws(TokenError) in try Self.add(key, to: &snapshot) }
    }

    /// Removes the verification key with `keyID`; tokens naming it stop verifying. The active
    /// signing key cannot be removed this way: rotate first.
    @discardableResult
    public func removeVerificationKey(keyID: String) throws(TokenError) -> Bool {
        try state.withLock { (snapshot) throws(TokenError) in
            if snapshot.signingKey?.keyID == keyID {
                throw TokenError(code: .invalidKey, message: "key \"\(keyID)\" is the active signing key; rotate before removing it")
            }
            return snapshot.byKeyID.removeValue(forKey: keyID) != nil
        }
    }

    /// Every verification key.
    public var verificationKeys: [VerificationKey] {
        state.withLock { Array($0.byKeyID.values) + $0.withoutKeyID }
    }

    /// The key for a token's header: by `kid`, whose algorithm must equal `alg`; without `kid`,
    /// only when allowed and exactly one key of that algorithm exists.
    func key(keyID: String?, algorithm: JWSAlgorithm) throws(TokenError) -> VerificationKey {
        if let keyID {
            // Look up under the lock and copy out only the key, not the whole snapshot.
            guard let key = state.withLock({ $0.byKeyID[keyID] }) else {
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
        let candidates = state.withLock { snapshot in
            (Array(snapshot.byKeyID.values) + snapshot.withoutKeyID).filter { $0.algorithm == algorithm }
        }
        guard candidates.count == 1, let only = candidates.first else {
            throw TokenError(code: .unknownKey,
                             message: "token has no kid and \(candidates.count) keys use \(algorithm.rawValue); exactly one is required")
        }
        return only
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
