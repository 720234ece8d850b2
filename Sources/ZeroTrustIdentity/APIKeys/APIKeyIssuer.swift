public import Foundation
public import ZeroTrustCrypto

/// Creates and verifies API keys for deployed models and services.
///
/// A key reads `ztk_<id>_<secret>`: `id` is 16 lowercase hex characters (public, used to find the
/// record), `secret` is 256 random bits in base64url. Only a BLAKE2b-256 hash of the secret is
/// stored (keyed with `pepper` when given, so a stolen store cannot even confirm a guess without
/// the pepper); verification compares hashes in constant time.
///
/// ```swift
/// let apiKeys = APIKeyIssuer(store: try FileAPIKeyStore(path: "keys.json"))
/// let (key, record) = try await apiKeys.create(name: "fraud-model-v3", roles: ["model_server"])
/// let verified = try await apiKeys.verify(key)   // the record, or a TokenError
/// ```
public struct APIKeyIssuer: Sendable {
    /// The store.
    public let store: any APIKeyStore
    private let pepper: SymmetricKey?
    private let clock: @Sendable () -> Date

    static let prefix = "ztk_"
    static let idLength = 16

    /// An issuer over `store`, with an optional pepper (16 to 64 bytes) for the hashes.
    public init(store: any APIKeyStore, pepper: SymmetricKey? = nil, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.pepper = pepper
        self.clock = clock
    }

    /// Creates a key; the full key is returned once and never stored.
    /// - Throws: ``TokenError/Code/storeUnavailable`` when the store fails (a `TokenError` the store
    ///   throws passes through with its own code), ``TokenError/Code/invalidKey`` when the secret
    ///   cannot be hashed (e.g. a pepper of the wrong size).
    public func create(name: String, roles: [String] = [], scopes: [String] = [],
                       expiresAt: Date? = nil) async throws(TokenError) -> (key: String, record: APIKeyRecord) {
        let id = Hex.encode(SecureRandom.bytes(count: Self.idLength / 2))
        let secret = Base64URL.encode(SecureRandom.bytes(count: 32))
        let secretHash: String
        do { secretHash = try hash(secret) } catch {
            throw TokenError(code: .invalidKey, message: "cannot hash the new API key: \(TokenError.reason(error))")
        }
        let record = APIKeyRecord(id: id, name: name, secretHash: secretHash, roles: roles, scopes: scopes,
                                  createdAt: clock(), expiresAt: expiresAt)
        guard try await storeCall({ try await store.record(id: id) }) == nil else {
            throw TokenError(code: .storeUnavailable, message: "API key id collision; try again")
        }
        try await storeCall { try await store.save(record) }
        return ("\(Self.prefix)\(id)_\(secret)", record)
    }

    /// The record of a valid key, or ``TokenError/Code/invalidAPIKey`` (malformed, unknown, wrong
    /// secret, expired or revoked — the message says which, without echoing the key).
    public func verify(_ key: String) async throws(TokenError) -> APIKeyRecord {
        guard let (id, secret) = Self.split(key) else {
            throw TokenError(code: .invalidAPIKey, message: "not a ztk_<id>_<secret> API key")
        }
        let found: APIKeyRecord?
        do { found = try await store.record(id: id) } catch {
            throw TokenError(code: .storeUnavailable, message: "API key store failed; key refused")
        }
        // Hash even for an unknown id, so that timing does not tell which ids exist.
        let presented: String
        do { presented = try hash(secret) } catch { throw TokenError(code: .invalidAPIKey, message: "API key cannot be hashed") }
        guard let record = found, constantTimeEquals(Array(record.secretHash.utf8), Array(presented.utf8)) else {
            throw TokenError(code: .invalidAPIKey, message: "unknown API key or wrong secret (id \(id))")
        }
        let now = clock()
        if let revokedAt = record.revokedAt, revokedAt <= now {
            throw TokenError(code: .invalidAPIKey, message: "API key \(id) was revoked")
        }
        if let expiresAt = record.expiresAt, expiresAt <= now {
            throw TokenError(code: .invalidAPIKey, message: "API key \(id) expired")
        }
        return record
    }

    /// Revokes the key with `id` from now on. Returns false when no such key exists.
    /// - Throws: ``TokenError/Code/storeUnavailable`` when the store fails.
    @discardableResult
    public func revoke(id: String) async throws(TokenError) -> Bool {
        guard var record = try await storeCall({ try await store.record(id: id) }) else { return false }
        if record.revokedAt == nil {
            record.revokedAt = clock()
            try await storeCall { try await store.save(record) }
        }
        return true
    }

    /// Runs a store operation; its failure becomes ``TokenError/Code/storeUnavailable`` (a
    /// `TokenError` from the store passes through as it is).
    private func storeCall<R>(_ operation: () async throws -> R) async throws(TokenError) -> R {
        do { return try await operation() } catch let error as TokenError {
            throw error
        } catch {
            throw TokenError(code: .storeUnavailable, message: "API key store failed: \(TokenError.reason(error))")
        }
    }

    private func hash(_ secret: String) throws -> String {
        "blake2b-256:" + (try BLAKE2b.hash(Array(secret.utf8), key: pepper, outputByteCount: 32)).hexString
    }

    static func split(_ key: String) -> (id: String, secret: String)? {
        guard key.hasPrefix(prefix) else { return nil }
        let rest = key.utf8.dropFirst(prefix.utf8.count)
        guard rest.count > idLength + 1 else { return nil }
        let id = rest.prefix(idLength)
        guard id.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0) }),
              rest.dropFirst(idLength).first == UInt8(ascii: "_")
        else { return nil }
        let secret = rest.dropFirst(idLength + 1)
        guard secret.count == 43, Base64URL.decode(ArraySlice(secret)) != nil else { return nil }
        return (String(decoding: id, as: UTF8.self), String(decoding: secret, as: UTF8.self))
    }
}
