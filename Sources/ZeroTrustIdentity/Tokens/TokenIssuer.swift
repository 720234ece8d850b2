public import Foundation
import ZeroTrustCrypto

/// Issues short-lived signed tokens with the active key of a ``KeyRing``.
///
/// Every token gets `iat`, `nbf` (the issue time unless given), `exp`, a random `jti` (128 bits),
/// the issuer's `iss`, and `kid` and `typ` headers. A lifetime above ``maximumLifetime`` is
/// refused, not silently shortened.
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
            let value: JSONValue
            do { value = try JSONValue(parsing: Array(encoded)) } catch {
                throw TokenError(code: .issuanceRefused, message: "custom claims do not encode to strict JSON: \(error.message)")
            }
            guard let object = value.objectValue else {
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
        try sign(newClaims(subject: subject, audience: audience, lifetime: lifetime, notBefore: notBefore, custom: custom),
                 type: type)
    }

    /// ``issue(subject:audience:lifetime:notBefore:custom:type:)`` for callers that hold their
    /// custom claims as `(name, value)` pairs already in name order (checked): the gatekeeper mints
    /// a grant on every permit, and building and sorting a dictionary for its three claims cost
    /// more than half as much as signing the token.
    package func issue(subject: String, lifetime: TimeInterval, sortedCustom: [(key: String, value: JSONValue)],
                       type: String) throws(TokenError) -> String {
        try sign(newClaims(subject: subject, audience: [], lifetime: lifetime, notBefore: nil, custom: [:]),
                 type: type, sortedCustom: sortedCustom)
    }

    /// Fresh claims: `iss`, `iat` now, `nbf` as given or else now, `exp` after `lifetime`
    /// (checked against the maximum), a random `jti`.
    private func newClaims(subject: String, audience: [String], lifetime: TimeInterval, notBefore: Date?,
                           custom: [String: JSONValue]) throws(TokenError) -> TokenClaims {
        guard lifetime > 0, lifetime <= maximumLifetime else {
            throw TokenError(code: .issuanceRefused,
                             message: "lifetime \(TokenError.seconds(lifetime)) s is outside 1...\(TokenError.seconds(maximumLifetime)) s")
        }
        let now = clock()
        return TokenClaims(subject: subject, issuer: issuer, audience: audience, issuedAt: now, notBefore: notBefore ?? now,
                           expiresAt: now.addingTimeInterval(lifetime), tokenID: Self.randomTokenID(), custom: custom)
    }

    /// 128 random bits, base64url-encoded (22 characters).
    private static func randomTokenID() -> String {
        var random = (UInt64(0), UInt64(0))
        return withUnsafeMutableBytes(of: &random) { bytes in
            SecureRandom.fillIdentifier(bytes)
            return Base64URL.encodeToString(UnsafeRawBufferPointer(bytes))
        }
    }

    /// Signs `claims` exactly as given (no defaults added) with the active key. `exp` is required
    /// and the lifetime rule applies; ``TokenClaims/custom`` may not use a registered name
    /// (``TokenError/Code/issuanceRefused``).
    public func sign(_ claims: TokenClaims, type: String = "JWT") throws(TokenError) -> String {
        try sign(claims, type: type, sortedCustom: nil)
    }

    private func sign(_ claims: TokenClaims, type: String, sortedCustom: [(key: String, value: JSONValue)]?) throws(TokenError) -> String {
        guard let key = keyRing.signingKey else {
            throw TokenError(code: .issuanceRefused, message: "the key ring has no active signing key")
        }
        guard let expiresAt = claims.expiresAt else { throw TokenError(code: .issuanceRefused, message: "claims have no \"exp\"") }
        let start = claims.issuedAt ?? clock()
        guard expiresAt.timeIntervalSince(start) <= maximumLifetime else {
            throw TokenError(code: .issuanceRefused, message: "lifetime exceeds the maximum of \(TokenError.seconds(maximumLifetime)) s")
        }
        // Header and payload JSON go into one buffer (on the stack for a typical token); the key
        // encodes and signs them into the token.
        return try ByteWriter.with { (json) throws(TokenError) in
            json.append(#"{"alg":"#)
            JSONWriter.writeString(key.algorithm.rawValue, into: &json)
            if let keyID = key.keyID {
                json.append(#","kid":"#)
                JSONWriter.writeString(keyID, into: &json)
            }
            json.append(#","typ":"#)
            JSONWriter.writeString(type, into: &json)
            json.append(UInt8(ascii: "}"))
            let headerCount = json.count
            try claims.writePayload(into: &json, sortedCustom: sortedCustom)
            return try key.compactSerialization(json: json.bytes, headerCount: headerCount)
        }
    }
}
