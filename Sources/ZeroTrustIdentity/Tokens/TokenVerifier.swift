import Foundation

/// Verifies compact JWS tokens against a ``KeyRing``, strictly (RFC 7515, RFC 7519, RFC 8725).
///
/// In order, and before trusting anything in the token: size limit, three segments of strict
/// base64url, a strict JSON header; `alg` present, supported and equal to the selected key's
/// algorithm (`none` in any spelling is refused); no `crit` members (none are understood); no key
/// hints (`jwk`, `jku`, `x5u`, `x5c` are refused, never followed); an accepted `typ`; the
/// signature; then a strict JSON payload object and the claims: `exp` always required, `nbf`,
/// `iat` (not in the future), maximum lifetime, issuer, audience, required claims, revocation.
///
/// A verifier (and its copies) remembers, per CPU and only from tokens whose signature verified,
/// the checks of up to 8 recent headers with the key each selected (until the ``KeyRing`` next
/// changes) and the parsed custom claims of up to 16 recent payloads (each at most 512 bytes of
/// text), keyed by their exact bytes: one principal's tokens differ in `jti` and times but repeat
/// those. Results and errors are exactly those of verifying without them.
///
/// ```swift
/// let verifier = TokenVerifier(keyRing: ring,
///                              options: .init(issuer: "https://auth.corp", audience: "registry"),
///                              revocationStore: revoked)
/// let token = try await verifier.verify(bearer)
/// print(token.claims.subject ?? "", token.claims.roles)
/// ```
public struct TokenVerifier: Sendable {
    /// The keys.
    public let keyRing: KeyRing
    /// The checks.
    public let options: TokenValidationOptions
    /// Consulted for every token, which must then carry a `jti` (a token without one could never
    /// be revoked, so it is refused); nil means tokens are never checked for revocation.
    public let revocationStore: (any RevocationStore)?
    /// Checked headers of recently verified tokens; shared by copies of this verifier, whose
    /// options are the same.
    private let headerCache = HeaderCache()
    /// Custom claims of recently verified payloads, by their exact text; shared likewise.
    let customClaimsCache = CustomClaimsCache()
    /// The expected audience as the claims' array, reused for every token that names just it.
    private let expectedAudience: [String]?
    /// `options.requiredClaims` in a fixed order (the first missing one is reported), sorted once.
    private let requiredClaims: [String]

    /// A verifier.
    public init(keyRing: KeyRing, options: TokenValidationOptions = TokenValidationOptions(),
                revocationStore: (any RevocationStore)? = nil) {
        // The expected issuer and audience are compared with every token in place, which needs
        // contiguous UTF-8 (a bridged string would silently take the slower general path).
        var options = options
        // An infinite (or NaN) leeway would accept every expired token: fail closed instead.
        if !options.leeway.isFinite { options.leeway = 0 }
        options.issuer?.makeContiguousUTF8()
        options.audience?.makeContiguousUTF8()
        self.keyRing = keyRing
        self.options = options
        self.revocationStore = revocationStore
        self.expectedAudience = options.audience.map { [$0] }
        self.requiredClaims = options.requiredClaims.sorted()
    }

    /// Verifies `token` and returns its claims, or throws a ``TokenError`` saying why not. Runs on
    /// the caller's executor (`nonisolated(nonsending)`), leaving it only to ask the revocation
    /// store; called from an actor, the signature check runs on that actor (call it from a
    /// nonisolated or `@concurrent` context to avoid that).
    nonisolated(nonsending) public func verify(_ token: String) async throws(TokenError) -> VerifiedToken {
        let verified = try verifyWithoutRevocation(token)
        if let store = revocationStore {
            // A token without an id could never be revoked: with a store, `jti` is required.
            guard let tokenID = verified.claims.tokenID else {
                throw TokenError(code: .missingClaim, message: "token has no \"jti\", so its revocation cannot be checked")
            }
            let revoked: Bool
            do { revoked = try await store.isRevoked(tokenID) } catch {
                throw TokenError(code: .storeUnavailable, message: "revocation store failed; token refused")
            }
            if revoked { throw TokenError(code: .revoked, message: "token \(Self.describe(tokenID)) has been revoked") }
        }
        return verified
    }

    /// Everything ``verify(_:)`` checks except revocation: synchronous, for callers that consult
    /// revocation themselves.
    public func verifyWithoutRevocation(_ token: String) throws(TokenError) -> VerifiedToken {
        // Work on the string's own UTF-8 storage; copy only if it has none (bridged strings).
        var token = token
        token.makeContiguousUTF8()
        let result: Result<VerifiedToken, TokenError>? = token.utf8.withContiguousStorageIfAvailable { bytes in
            Result { () throws(TokenError) in try verify(bytes, token: token) }
        }
        guard let result else { throw TokenError(code: .malformed, message: "token storage is not contiguous UTF-8") }
        return try result.get()
    }

    private func verify(_ bytes: UnsafeBufferPointer<UInt8>, token: String) throws(TokenError) -> VerifiedToken {
        let jws = try CompactJWS(bytes, maximumByteCount: options.maximumTokenByteCount)
        // The generation first: a key found after it is at least that recent.
        let generation = keyRing.generation
        let cached = headerCache.entry(for: UnsafeBufferPointer(rebasing: bytes[jws.header]))
        let header: HeaderCache.Entry
        if let cached, cached.keyRingGeneration == generation {
            header = cached
        } else {
            header = try checkedHeader(of: jws, reusing: cached, keyRingGeneration: generation)
        }
        let key = header.key
        // Decode the payload before checking the signature so that a malformed segment is reported
        // as such, but parse it only once the signature holds.
        let claims = try jws.withDecoded(jws.payload, name: "payload") { (payload) throws(TokenError) in
            let authentic = try jws.withDecoded(jws.signature, name: "signature") { (signature) throws(TokenError) in
                key.isValidSignature(UnsafeRawBufferPointer(signature), for: jws.signingInput)
            }
            guard authentic else { throw Self.invalidSignature(keyID: header.keyID) }
            if header !== cached { headerCache.remember(header) }
            var claims = TokenClaims.unfilled
            try claims.parse(payload: payload, expectedIssuer: options.issuer, expectedAudience: expectedAudience,
                             customClaimsCache: customClaimsCache)
            return claims
        }
        try checkClaims(claims)
        return VerifiedToken(checkedHeader: header, claims: claims, token: token, payloadRange: jws.payload)
    }

    /// Decodes, parses and checks a header the cache does not hold (or reuses the checks of an
    /// entry whose key is from an older generation of the ring), and selects its key.
    private func checkedHeader(of jws: CompactJWS, reusing stale: HeaderCache.Entry?,
                               keyRingGeneration: UInt64) throws(TokenError) -> HeaderCache.Entry {
        if let stale {
            let key: VerificationKey
            do {
                key = try keyRing.key(keyID: stale.keyID, algorithm: stale.algorithm)
            } catch {
                headerCache.forget(stale.encoded)
                throw error
            }
            return HeaderCache.Entry(encoded: stale.encoded, algorithm: stale.algorithm, keyID: stale.keyID, members: stale.members,
                                     key: key, keyRingGeneration: keyRingGeneration)
        }
        let members = try jws.withDecoded(jws.header, name: "header") { (decoded) throws(TokenError) in
            try CompactJWS.members(decoded, segment: "header")
        }
        let (algorithm, keyID) = try checkHeader(members)
        return HeaderCache.Entry(encoded: Array(UnsafeBufferPointer(rebasing: jws.token[jws.header])),
                                 algorithm: algorithm, keyID: keyID, members: members,
                                 key: try keyRing.key(keyID: keyID, algorithm: algorithm), keyRingGeneration: keyRingGeneration)
    }

    private static func invalidSignature(keyID: String?) -> TokenError {
        TokenError(code: .invalidSignature, message: "signature does not verify with key \(keyID.map { "\"\($0.prefix(64))\"" } ?? "(no kid)")")
    }

    private func checkHeader(_ members: [(String, JSONValue)]) throws(TokenError) -> (JWSAlgorithm, String?) {
        var algorithmValue: JSONValue?, keyIDValue: JSONValue?, typeValue: JSONValue?
        for (name, value) in members {
            switch name {
            case "alg": algorithmValue = value
            case "kid": keyIDValue = value
            case "typ": typeValue = value
            case "crit":
                let names = value.stringArrayValue.map { $0.joined(separator: ", ") } ?? value.serialized
                throw TokenError(code: .unsupportedCriticalHeader, message: "critical header extensions are not understood: \(names.prefix(128))")
            case "jwk", "jku", "x5u", "x5c":
                throw TokenError(code: .embeddedKeyNotAllowed, message: "header carries \"\(name)\"; key hints in tokens are never followed")
            default: continue
            }
        }
        guard let name = algorithmValue?.stringValue else {
            throw TokenError(code: .algorithmNotAllowed, message: "header has no string \"alg\"")
        }
        guard let algorithm = JWSAlgorithm(rawValue: name) else {
            throw TokenError(code: .algorithmNotAllowed,
                             message: name.lowercased() == "none" ? "unsigned tokens (alg none) are never accepted"
                                                                  : "algorithm \"\(name.prefix(32))\" is not supported")
        }
        if let typeValue {
            guard let text = typeValue.stringValue,
                  options.acceptedTypes.contains(text) || options.acceptedTypes.contains(where: { $0.caseInsensitiveCompare(text) == .orderedSame })
            else {
                throw TokenError(code: .wrongType, message: "token type \(typeValue.serialized.prefix(64)) is not accepted here")
            }
        } else if !options.allowsMissingType {
            throw TokenError(code: .wrongType, message: "token has no \"typ\" and this verifier requires one")
        }
        var keyID: String?
        if let keyIDValue {
            guard let text = keyIDValue.stringValue else { throw TokenError(code: .malformed, message: "\"kid\" must be a string") }
            keyID = text
        }
        return (algorithm, keyID)
    }

    private func checkClaims(_ claims: TokenClaims) throws(TokenError) {
        let now = options.clock()
        let leeway = options.leeway
        guard let expiresAt = claims.expiresAt else {
            throw TokenError(code: .missingClaim, message: "token has no \"exp\"")
        }
        for name in requiredClaims where !claims.has(name) {
            throw TokenError(code: .missingClaim, message: "token has no \"\(name)\"")
        }
        guard now.timeIntervalSince(expiresAt) < leeway else {
            throw TokenError(code: .expired, message: "token expired at \(TokenError.timestamp(expiresAt))")
        }
        if let notBefore = claims.notBefore, notBefore.timeIntervalSince(now) > leeway {
            throw TokenError(code: .notYetValid, message: "token is not valid before \(TokenError.timestamp(notBefore))")
        }
        if let issuedAt = claims.issuedAt, issuedAt.timeIntervalSince(now) > leeway {
            throw TokenError(code: .issuedInFuture, message: "token claims to be issued at \(TokenError.timestamp(issuedAt)), in the future")
        }
        if let maximum = options.maximumLifetime {
            guard let issuedAt = claims.issuedAt else {
                throw TokenError(code: .missingClaim, message: "token has no \"iat\", needed to check its lifetime")
            }
            let lifetime = expiresAt.timeIntervalSince(issuedAt)
            guard lifetime <= maximum else {
                throw TokenError(code: .lifetimeTooLong,
                                 message: "token lifetime \(TokenError.seconds(lifetime)) s exceeds the maximum \(TokenError.seconds(maximum)) s")
            }
        }
        if let issuer = options.issuer, claims.issuer != issuer {
            throw TokenError(code: .wrongIssuer, message: "token issuer \(claims.issuer.map { "\"\($0.prefix(128))\"" } ?? "(none)") is not \"\(issuer)\"")
        }
        if let audience = options.audience, !claims.audience.contains(audience) {
            throw TokenError(code: .wrongAudience, message: "token audience does not include \"\(audience)\"")
        }
    }

    private static func describe(_ tokenID: String) -> String { "\"\(tokenID.prefix(64))\"" }
}
