public import Foundation
import ZeroTrustCrypto

/// Issues short-lived signed tokens with the active key of a ``KeyRing``.
///
/// Every token gets `iat`, `exp`, a random `jti` (128 bits), the issuer's `iss`, and `kid` and `typ`
/// headers. A lifetime above ``maximumLifetime`` is refused, not silently shortened.
///
/// ```swift
/// struct Grants: Encodable { let roles: [String]; let permissions: [String] }
/// let issuer = TokenIssuer(keyRing: ring, issuer: "https://auth.corp")
/// let token = try issuer.issue(subject: "alice", audience: ["registry"], lifetime: 900,
///                              claims: Grants(roles: ["data_scientist"], permissions: ["read_data"]))
/// ```
public struct TokenIssuer: Sendable {
    /// The keys; the active signing key signs.
    public let keyRing: KeyRing
    /// The `iss` claim written into every token, if any.
    public let issuer: String?
    /// The longest lifetime this issuer grants, in seconds. Default 3600.
    public let maximumLifetime: TimeInterval
    /// The current time.
    public let clock: @Sendable () -> Date

    /// An issuer.
    public init(keyRing: KeyRing, issuer: String? = nil, maximumLifetime: TimeInterval = 3600,
                clock: @escaping @Sendable () -> Date = { Date() }) {
        self.keyRing = keyRing
        self.issuer = issuer
        self.maximumLifetime = maximumLifetime
        self.clock = clock
    }

    /// Issues a token for `subject` with custom claims from an `Encodable` value (encoded to a JSON
    /// object; registered claim names are refused there).
    public func issue(subject: String, audience: [String] = [], lifetime: TimeInterval, notBefore: Date? = nil,
                      claims: some Encodable, type: String = "JWT") throws(TokenError) -> String {
        let custom: [String: JSONValue]
        do {
            let encoded = try JSONEncoder().encode(claims)
            guard let object = try JSONValue(parsing: Array(encoded)).objectValue else {
                throw TokenError(code: .issuanceRefused, message: "custom claims must encode to a JSON object")
            }
            custom = object
        } catch let error as TokenError {
            throw error
        } catch {
            throw TokenError(code: .issuanceRefused, message: "custom claims cannot be encoded: \(error)")
        }
        return try issue(subject: subject, audience: audience, lifetime: lifetime, notBefore: notBefore, custom: custom, type: type)
    }

    /// Issues a token for `subject` with custom claims as JSON values.
    public func issue(subject: String, audience: [String] = [], lifetime: TimeInterval, notBefore: Date? = nil,
                      custom: [String: JSONValue] = [:], type: String = "JWT") throws(TokenError) -> String {
        guard lifetime > 0, lifetime <= maximumLifetime else {
            throw TokenError(code: .issuanceRefused, message: "lifetime \(Int(lifetime)) s is outside 1...\(Int(maximumLifetime)) s")
        }
        if let reserved = custom.keys.first(where: TokenClaims.registeredNames.contains) {
            throw TokenError(code: .issuanceRefused, message: "custom claims may not set the registered claim \"\(reserved)\"")
        }
        let now = clock()
        let claims = TokenClaims(subject: subject, issuer: issuer, audience: audience, issuedAt: now, notBefore: notBefore,
                                 expiresAt: now.addingTimeInterval(lifetime),
                                 tokenID: Base64URL.encode(SecureRandom.bytes(count: 16)), custom: custom)
        return try sign(claims, type: type)
    }

    /// Signs `claims` exactly as given (no defaults added) with the active key. `exp` is required
    /// and the lifetime rule applies.
    public func sign(_ claims: TokenClaims, type: String = "JWT") throws(TokenError) -> String {
        guard let key = keyRing.signingKey else {
            throw TokenError(code: .issuanceRefused, message: "the key ring has no active signing key")
        }
        guard let expiresAt = claims.expiresAt else { throw TokenError(code: .issuanceRefused, message: "claims have no \"exp\"") }
        let start = claims.issuedAt ?? clock()
        guard expiresAt.timeIntervalSince(start) <= maximumLifetime else {
            throw TokenError(code: .issuanceRefused, message: "lifetime exceeds the maximum of \(Int(maximumLifetime)) s")
        }
        var header: [String: JSONValue] = ["alg": .string(key.algorithm.rawValue), "typ": .string(type)]
        if let keyID = key.keyID { header["kid"] = .string(keyID) }
        let signingInput = Base64URL.encode(Array(JSONValue.object(header).serialized.utf8)) + "."
            + Base64URL.encode(Array(JSONValue.object(claims.payload).serialized.utf8))
        let signature = try key.signature(for: Array(signingInput.utf8))
        return signingInput + "." + Base64URL.encode(signature)
    }
}
