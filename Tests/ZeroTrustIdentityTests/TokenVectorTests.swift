import Foundation
import Testing
@testable import ZeroTrustIdentity
import ZeroTrustCrypto

@Suite("Token known answers and Wycheproof through the JWS layer")
struct TokenVectorTests {
    /// RFC 7515 Appendix A.1 (HS256).
    @Test("RFC 7515 A.1 HS256")
    func rfc7515HS256() async throws {
        let jwk = try JWK(json: #"{"kty":"oct","alg":"HS256","k":"AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow"}"#)
        let ring = try KeyRing(verificationKeys: [jwk.verificationKey()], allowsMissingKeyID: true)
        let token = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
        let options = TokenValidationOptions(issuer: "joe", maximumLifetime: nil, clock: { Date(timeIntervalSince1970: 1_300_819_000) })
        let verified = try await TokenVerifier(keyRing: ring, options: options).verify(token)
        #expect(verified.claims.custom["http://example.com/is_root"] == .bool(true))
        let late = TokenValidationOptions(maximumLifetime: nil, clock: { Date(timeIntervalSince1970: 1_300_819_410) })
        #expect(await tokenError(.expired) { _ = try await TokenVerifier(keyRing: ring, options: late).verify(token) })
        // The signing side reproduces the signature (HMAC is deterministic).
        let signingInput = Array(token.split(separator: ".").prefix(2).joined(separator: ".").utf8)
        #expect(Base64URL.encode(try jwk.signingKey().signature(for: signingInput)) == "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
    }

    /// RFC 7515 Appendix A.3 (ES256).
    @Test("RFC 7515 A.3 ES256")
    func rfc7515ES256() async throws {
        let jwk = try JWK(json: #"{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}"#)
        #expect(try jwk.algorithm() == .es256)
        let ring = try KeyRing(verificationKeys: [jwk.verificationKey()], allowsMissingKeyID: true)
        let token = "eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q"
        let options = TokenValidationOptions(maximumLifetime: nil, clock: { Date(timeIntervalSince1970: 1_300_819_000) })
        #expect(try await TokenVerifier(keyRing: ring, options: options).verify(token).claims.issuer == "joe")
    }

    /// RFC 7515 Appendix A.2 (RS256), verified with the appendix's public key.
    @Test("RFC 7515 A.2 RS256")
    func rfc7515RS256() async throws {
        let n = "ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ"
        let jwk = try JWK(json: "{\"kty\":\"RSA\",\"alg\":\"RS256\",\"n\":\"\(n)\",\"e\":\"AQAB\"}")
        let ring = try KeyRing(verificationKeys: [jwk.verificationKey()], allowsMissingKeyID: true)
        let token = "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ."
            + "cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5jujGbds9uJdbF9CUAr7t1dnZcAcQjbKBYNX4"
            + "BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-eOkHWEsqtFZESc6BfI7noOPqv"
            + "hJ1phCnvWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igcN_IoypGlUPQGe77Rw"
        let options = TokenValidationOptions(maximumLifetime: nil, clock: { Date(timeIntervalSince1970: 1_300_819_000) })
        #expect(try await TokenVerifier(keyRing: ring, options: options).verify(token).claims.issuer == "joe")
        // The same key bound to PS256 must not accept the PKCS#1 v1.5 token: no RS256 key exists.
        let pss = try JWK(json: "{\"kty\":\"RSA\",\"alg\":\"PS256\",\"n\":\"\(n)\",\"e\":\"AQAB\"}")
        let pssRing = try KeyRing(verificationKeys: [pss.verificationKey()], allowsMissingKeyID: true)
        #expect(await tokenError(.unknownKey) { _ = try await TokenVerifier(keyRing: pssRing, options: options).verify(token) })
    }

    /// RFC 8037 Appendix A.1–A.5 (Ed25519 JWK and JWS). The payload is not JSON, so the check is at
    /// the signature layer, both ways.
    @Test("RFC 8037 Ed25519 JWS")
    func rfc8037() throws {
        let jwk = try JWK(json: #"{"kty":"OKP","crv":"Ed25519","d":"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#)
        let signingInput = Array("eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc".utf8)
        let expected = "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg"
        let key = try jwk.signingKey()
        #expect(Base64URL.encode(try key.signature(for: signingInput)) == expected)
        #expect(try jwk.verificationKey().isValidSignature(try #require(Base64URL.decode(expected)), for: signingInput))
        // A private JWK whose public member does not match is refused.
        let mismatched = try JWK(json: #"{"kty":"OKP","crv":"Ed25519","d":"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU"}"#)
        #expect(tokenError(.invalidKey) { _ = try mismatched.signingKey() })
    }

    /// Wycheproof ES256 (P1363) and Ed25519 cases through ``VerificationKey``, the JWS signature layer.
    @Test("Wycheproof through the JWS signature layer", arguments: ["ecdsa_secp256r1_sha256_p1363_test.json", "ed25519_test.json"])
    func wycheproof(file: String) throws {
        guard let directory = Self.vectorDirectory else {
            print("Wycheproof vectors absent: \(file) skipped")
            return
        }
        let data = try Data(contentsOf: directory.appendingPathComponent(file))
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        var ran = 0, passed = 0
        for group in try #require(root["testGroups"] as? [[String: Any]]) {
            // The JWK form where the file gives one, else the uncompressed point (a few ECDSA
            // groups have keys with no JWK form listed).
            let key: VerificationKey
            if let jwkMembers = group["publicKeyJwk"] as? [String: Any] {
                key = try JWK(json: Array(try JSONSerialization.data(withJSONObject: jwkMembers))).verificationKey()
            } else {
                let point = try #require((group["publicKey"] as? [String: Any])?["uncompressed"] as? String)
                key = VerificationKey(p256: try P256.PublicKey(x963Representation: Hex.decode(point) ?? []), keyID: nil)
            }
            for test in try #require(group["tests"] as? [[String: Any]]) {
                let message = Hex.decode(test["msg"] as? String ?? "") ?? []
                let signature = Hex.decode(test["sig"] as? String ?? "") ?? []
                let valid = key.isValidSignature(signature, for: message)
                let ok = switch test["result"] as? String {
                case "valid": valid
                case "invalid": !valid
                default: true
                }
                #expect(ok, "\(file) tcId \(test["tcId"] ?? "?")")
                ran += 1
                if ok { passed += 1 }
            }
        }
        print("Wycheproof via JWS \(file): ran \(ran), passed \(passed), skipped 0")
        #expect(ran > 0)
    }

    static var vectorDirectory: URL? {
        if let override = ProcessInfo.processInfo.environment["ZT_VECTORS"] {
            return URL(fileURLWithPath: override).appendingPathComponent("wycheproof")
        }
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/vectors/wycheproof")
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }

    @Test("JWK round trips for every algorithm; JWK Sets; refusals")
    func jwkRoundTrips() throws {
        for algorithm in JWSAlgorithm.allCases {
            let key = try SigningKey.generate(algorithm: algorithm, keyID: "kid-\(algorithm.rawValue)")
            let exported = try JWK(signingKey: key)
            let reimported = try JWK(json: exported.json).signingKey()
            #expect(reimported.algorithm == algorithm && reimported.keyID == key.keyID)
            let input = Array("a.b".utf8)
            #expect(key.verificationKey.isValidSignature(try reimported.signature(for: input), for: input))
            if !algorithm.isSymmetric {
                let publicJWK = try JWK(verificationKey: key.verificationKey)
                #expect(!publicJWK.hasPrivateMaterial && !publicJWK.json.contains("\"d\""))
                #expect(try JWK(json: publicJWK.json).verificationKey().isValidSignature(try key.signature(for: input), for: input))
            } else {
                #expect(throws: TokenError.self) { _ = try JWK(verificationKey: key.verificationKey) }
            }
        }
        let set = try JWKSet(json: #"{"keys":[{"kty":"OKP","crv":"Ed25519","kid":"a","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}]}"#)
        #expect(try set.verificationKeys().first?.algorithm == .edDSA)
        #expect(tokenError(.invalidKey) { _ = try JWKSet(json: #"{"keys":[{"kty":"OKP","crv":"Ed25519","kid":"a","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"},{"kty":"OKP","crv":"Ed25519","kid":"a","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}]}"#) })
        #expect(tokenError(.invalidKey) { _ = try JWK(json: #"{"kty":"RSA","n":"AQAB","e":"AQAB"}"#).verificationKey() })  // no alg
        #expect(tokenError(.invalidKey) { _ = try JWK(json: #"{"kty":"EC","crv":"P-256","alg":"ES384","x":"AA","y":"AA"}"#).algorithm() })
        #expect(tokenError(.invalidKey) { _ = try JWK(json: #"{"kty":"oct","alg":"HS256","k":"c2hvcnQ"}"#).verificationKey() })  // 5-byte secret
        #expect(tokenError(.invalidKey) { _ = try JWK(json: #"{"kty":"EC","crv":"secp256k1","x":"AA","y":"AA"}"#).verificationKey() })
        #expect(tokenError(.invalidKey) { _ = try JWK(json: #"{"kty":"dir"}"#) })
        #expect(tokenError(.invalidKey) { _ = try JWK(json: "not json") })
    }

    @Test("Strict JSON parser")
    func strictJSON() throws {
        #expect(try JSONValue(parsing: Array(#"{"a":[1,2.5,"x\u00e9\ud83d\ude00",true,null]}"#.utf8))
                == .object(["a": .array([.integer(1), .double(2.5), .string("xé😀"), .bool(true), .null])]))
        for bad in [#"{"a":1,"a":2}"#, #"{"a":1}x"#, #"{"a":"\ud800"}"#, #"{"a":01}"#, #"{"a":1.}"#, "{\"a\":\"\u{01}\"}",
                    #"{'a':1}"#, #"{"a":1,}"#, String(repeating: "[", count: 40) + String(repeating: "]", count: 40), #"{"a":tru}"#] {
            #expect(tokenError(.invalidJSON) { _ = try JSONValue(parsing: Array(bad.utf8)) }, "\(bad.prefix(30))")
        }
        #expect(tokenError(.invalidJSON) { _ = try JSONValue(parsing: [0x22, 0xff, 0x22]) })  // invalid UTF-8
        let value = JSONValue.object(["b": .string("q\"\n"), "a": .integer(-3)])
        #expect(value.serialized == #"{"a":-3,"b":"q\"\n"}"#)
        #expect(try JSONValue(parsing: Array(value.serialized.utf8)) == value)
    }
}
