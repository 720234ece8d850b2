import Foundation
import Testing
@testable import ZeroTrustIdentity
import ZeroTrustCrypto

/// Values at the edges a signed token, a caller or a key file can carry: huge or non-finite times
/// and durations, JWKs whose members contradict each other. Each is a typed error, never a trap
/// and never an acceptance.
@Suite("Token extreme values")
struct TokenExtremeValueTests {
    let clock = TestClock(epoch)
    static let header = #"{"alg":"HS256","kid":"k1","typ":"JWT"}"#

    func verifier(_ key: SigningKey, leeway: TimeInterval = 30) throws -> TokenVerifier {
        var options = TokenValidationOptions(leeway: leeway)
        options.clock = clock.function
        return TokenVerifier(keyRing: try KeyRing(signingKey: key), options: options)
    }

    @Test("Signed times far outside the calendar are refused with their code, not a trap",
          arguments: [(#"{"exp":1e300,"iat":1800000000}"#, TokenError.Code.lifetimeTooLong),
                      (#"{"exp":-1e300,"iat":1800000000}"#, .expired),
                      (#"{"exp":1800000100,"iat":1e300}"#, .issuedInFuture),
                      (#"{"exp":1800000100,"iat":-1e300}"#, .lifetimeTooLong),
                      (#"{"exp":1800000100,"iat":1800000000,"nbf":1e300}"#, .notYetValid),
                      (#"{"exp":9007199254740993,"iat":1800000000}"#, .lifetimeTooLong)])
    func extremeSignedTimes(_ payload: String, _ code: TokenError.Code) throws {
        let key = try SigningKey.generate(algorithm: .hs256, keyID: "k1")
        let token = try craft(header: Self.header, payload: payload, key: key)
        #expect(tokenError(code) { _ = try verifier(key).verifyWithoutRevocation(token) })
    }

    @Test("A leeway that is not finite is treated as 0, so expired tokens stay expired", arguments: [Double.infinity, .nan])
    func nonFiniteLeeway(_ leeway: Double) throws {
        let key = try SigningKey.generate(algorithm: .hs256, keyID: "k1")
        let expired = try craft(header: Self.header, payload: #"{"exp":1799999990,"iat":1799999900}"#, key: key)
        #expect(tokenError(.expired) { _ = try verifier(key, leeway: leeway).verifyWithoutRevocation(expired) })
        let valid = try craft(header: Self.header, payload: #"{"exp":1800000100,"iat":1800000000}"#, key: key)
        #expect(try verifier(key, leeway: leeway).verifyWithoutRevocation(valid).claims.expiresAt != nil)
    }

    @Test("Lifetimes and times an issuer cannot write exactly are refused",
          arguments: [Double.nan, .infinity, -.infinity, 1e300, -5])
    func extremeLifetimes(_ lifetime: Double) throws {
        let ring = try KeyRing(signingKey: SigningKey.generate(algorithm: .hs256, keyID: "k1"))
        #expect(tokenError(.issuanceRefused) {
            _ = try TokenIssuer(keyRing: ring, clock: clock.function).issue(subject: "a", lifetime: lifetime)
        })
        #expect(tokenError(.issuanceRefused) {
            _ = try TokenIssuer(keyRing: ring, maximumLifetime: .infinity, clock: clock.function).issue(subject: "a", lifetime: lifetime)
        })
        let claims = TokenClaims(subject: "a", issuedAt: Date(timeIntervalSince1970: 1e300), expiresAt: Date(timeIntervalSince1970: 1e300))
        #expect(tokenError(.issuanceRefused) { _ = try TokenIssuer(keyRing: ring, maximumLifetime: .infinity).sign(claims) })
    }

    @Test("JWKs whose members contradict their key type, curve or intended use are refused",
          arguments: [
              #"{"kty":"OKP","crv":"X25519","alg":"EdDSA","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#,
              #"{"kty":"EC","alg":"ES256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}"#,
              #"{"kty":"EC","crv":"P-256","alg":"EdDSA","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}"#,
              // The same 64 bytes of point, split 31 + 33: valid as a point, not as coordinates.
              #"{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVA","y":"RcfxRM0bvZt-hyzf7bnuufSzaV1uqQskrYpGIyiFiOWt"}"#,
              #"{"kty":"EC","crv":"P-256","use":"enc","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}"#,
              #"{"kty":"EC","crv":"P-256","key_ops":["encrypt"],"x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}"#,
              #"{"kty":"oct","alg":"ES256","k":"AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow"}"#,
              #"{"kty":"RSA","alg":"HS256","n":"0vx7","e":"AQAB"}"#,
          ])
    func contradictoryJWKs(_ json: String) throws {
        #expect(tokenError(.invalidKey) { _ = try JWK(json: json).verificationKey() })
    }

    @Test("The RFC 7515 A.3 P-256 key is accepted with crv, use sig and key_ops verify")
    func consistentJWK() throws {
        let json = #"{"kty":"EC","crv":"P-256","use":"sig","key_ops":["verify"],"x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}"#
        #expect(try JWK(json: json).verificationKey().algorithm == .es256)
    }

    @Test("A JWK Set skips members meant for encryption, and needs at least one key for signatures")
    func jwkSetSkipsEncryptionKeys() throws {
        let point = #""x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0""#
        let signing = #"{"kty":"EC","crv":"P-256","kid":"sig","use":"sig",\#(point)}"#
        let encryption = #"{"kty":"EC","crv":"P-256","kid":"enc","use":"enc",\#(point)}"#
        let wrapping = #"{"kty":"EC","crv":"P-256","kid":"wrap","key_ops":["wrapKey"],\#(point)}"#
        let keys = try JWKSet(json: #"{"keys":[\#(encryption),\#(signing),\#(wrapping)]}"#).verificationKeys()
        #expect(keys.map(\.keyID) == ["sig"])
        #expect(tokenError(.invalidKey) { _ = try JWKSet(json: #"{"keys":[\#(encryption)]}"#).verificationKeys() })
    }

    @Test("Claims that do not decode as the caller's type are an invalidClaim error")
    func decodeClaimsMismatch() throws {
        struct Expecting: Decodable { let roles: [Int] }
        let key = try SigningKey.generate(algorithm: .hs256, keyID: "k1")
        let token = try craft(header: Self.header, payload: #"{"exp":1800000100,"iat":1800000000,"roles":["admin"]}"#, key: key)
        let verified = try verifier(key).verifyWithoutRevocation(token)
        #expect(tokenError(.invalidClaim) { _ = try verified.decodeClaims(as: Expecting.self) })
    }
}
