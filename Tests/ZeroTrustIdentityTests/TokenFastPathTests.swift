import Foundation
import Testing
@testable import ZeroTrustIdentity
import ZeroTrustCrypto

/// The verifier's fast path: the one-pass claims parser, the reuse of expected issuer and audience
/// strings, and the cache of checked headers must change nothing about what is accepted.
@Suite("Token verification fast path")
struct TokenFastPathTests {
    let clock = TestClock(epoch)
    static let header = #"{"alg":"HS256","kid":"k1","typ":"JWT"}"#
    /// A payload `setup()`'s verifier accepts.
    static let acceptedPayload = #"{"iss":"https://auth.example","aud":"registry","iat":1800000000,"exp":1800000100}"#

    func setup(_ options: TokenValidationOptions = TokenValidationOptions(issuer: "https://auth.example", audience: "registry"))
        throws -> (SigningKey, KeyRing, TokenVerifier) {
        let key = try SigningKey.generate(algorithm: .hs256, keyID: "k1")
        let ring = try KeyRing(signingKey: key)
        var validation = options
        validation.clock = clock.function
        return (key, ring, TokenVerifier(keyRing: ring, options: validation))
    }

    @Test("Escaped member names are the names they spell: routed to the registered claim, duplicates refused")
    func escapedNames() throws {
        let (key, _, verifier) = try setup()
        let escapedIssuer = try craft(header: Self.header, payload: #"{"\u0069ss":"https://auth.example","aud":"registry","iat":1800000000,"exp":1800000100,"sub":"a"}"#, key: key)
        #expect(try verifier.verifyWithoutRevocation(escapedIssuer).claims.issuer == "https://auth.example")
        let payloads = [
            #"{"iss":"https://auth.example","aud":"registry","iat":1800000000,"exp":1800000100,"s\u0075b":"a","sub":"b"}"#,
            #"{"iss":"https://auth.example","aud":"registry","iat":1800000000,"exp":1800000100,"x":1,"\u0078":2}"#,
            #"{"iss":"https://auth.example","aud":"registry","iat":1800000000,"exp":1800000100,"iat":1800000000,"exp":1800000100}"#,
        ]
        for payload in payloads {
            let token = try craft(header: Self.header, payload: payload, key: key)
            #expect(tokenError(.invalidJSON) { _ = try verifier.verifyWithoutRevocation(token) }, "\(payload)")
        }
    }

    @Test("Expected issuer and audience: escaped spellings still match, near misses still fail")
    func expectedValues() throws {
        let (key, _, verifier) = try setup()
        let escaped = try craft(header: Self.header, payload: #"{"iss":"https:\/\/auth.example","aud":"regis\u0074ry","iat":1800000000,"exp":1800000100}"#, key: key)
        let claims = try verifier.verifyWithoutRevocation(escaped).claims
        #expect(claims.issuer == "https://auth.example")
        #expect(claims.audience == ["registry"])
        for (issuer, audience, code) in [("https://auth.example.evil", "registry", TokenError.Code.wrongIssuer),
                                         ("https://auth.exampl", "registry", .wrongIssuer),
                                         ("https://auth.example", "registryx", .wrongAudience),
                                         ("https://auth.example", "", .wrongAudience)] {
            let token = try craft(header: Self.header, payload: #"{"iss":"\#(issuer)","aud":"\#(audience)","iat":1800000000,"exp":1800000100}"#, key: key)
            #expect(tokenError(code) { _ = try verifier.verifyWithoutRevocation(token) }, "\(issuer) \(audience)")
        }
    }

    @Test("The whole payload must be valid JSON before a claim's type is judged")
    func errorOrder() throws {
        let (key, _, verifier) = try setup()
        let badType = try craft(header: Self.header, payload: #"{"sub":1,"iss":"https://auth.example","aud":"registry","iat":1800000000,"exp":1800000100}"#, key: key)
        #expect(tokenError(.invalidClaim) { _ = try verifier.verifyWithoutRevocation(badType) })
        let badTypeThenBadJSON = try craft(header: Self.header, payload: #"{"sub":1,"iss":"https://auth.example","iat":1800000000,"exp":1800000100,}"#, key: key)
        #expect(tokenError(.invalidJSON) { _ = try verifier.verifyWithoutRevocation(badTypeThenBadJSON) })
        let trailing = try craft(header: Self.header, payload: #"{"aud":"registry","iss":"https://auth.example","iat":1800000000,"exp":1800000100} x"#, key: key)
        #expect(tokenError(.invalidJSON) { _ = try verifier.verifyWithoutRevocation(trailing) })
    }

    @Test("A remembered header skips no check: signature, key removal and other verifiers' options still apply")
    func headerCache() throws {
        let (key, ring, verifier) = try setup()
        let payload = Self.acceptedPayload
        let genuine = try craft(header: Self.header, payload: payload, key: key)
        let verified = try verifier.verifyWithoutRevocation(genuine)
        #expect(verified.payload == Array(payload.utf8))
        #expect(verified.header["typ"] == .string("JWT"))
        // Same header, now remembered: a forged signature and a changed payload still fail.
        let forged = try craft(header: Self.header, payload: payload, key: SigningKey.generate(algorithm: .hs256, keyID: "k1"))
        #expect(tokenError(.invalidSignature) { _ = try verifier.verifyWithoutRevocation(forged) })
        let parts = genuine.split(separator: ".")
        let altered = parts[0] + "." + Base64URL.encode(Array(#"{"iss":"https://auth.example","aud":"registry","exp":1800000200}"#.utf8)) + "." + parts[2]
        #expect(tokenError(.invalidSignature) { _ = try verifier.verifyWithoutRevocation(String(altered)) })
        // A verifier with other options judges the header afresh.
        var typed = verifier.options
        typed.acceptedTypes = ["at+jwt"]
        #expect(tokenError(.wrongType) { _ = try TokenVerifier(keyRing: ring, options: typed).verifyWithoutRevocation(genuine) })
        // Removing the key takes effect at once, although the header (and its key) is remembered,
        // also when the header was remembered again after the rotation.
        try ring.rotate(to: SigningKey.generate(algorithm: .hs256, keyID: "k2"))
        _ = try verifier.verifyWithoutRevocation(genuine)
        _ = try verifier.verifyWithoutRevocation(genuine)
        #expect(try ring.removeVerificationKey(keyID: "k1"))
        #expect(tokenError(.unknownKey) { _ = try verifier.verifyWithoutRevocation(genuine) })
        #expect(tokenError(.unknownKey) { _ = try verifier.verifyWithoutRevocation(genuine) })
    }

    @Test("A remembered header without kid is judged again when a second key of its algorithm is added")
    func missingKeyIDAfterAddition() throws {
        let key = try SigningKey.generate(algorithm: .hs256, keyID: nil)
        let ring = try KeyRing(signingKey: key, allowsMissingKeyID: true)
        var options = TokenValidationOptions()
        options.clock = clock.function
        let verifier = TokenVerifier(keyRing: ring, options: options)
        let token = try craft(header: #"{"alg":"HS256","typ":"JWT"}"#, payload: Self.acceptedPayload, key: key)
        _ = try verifier.verifyWithoutRevocation(token)
        _ = try verifier.verifyWithoutRevocation(token)  // its header and key are now remembered
        try ring.addVerificationKey(SigningKey.generate(algorithm: .hs256, keyID: "other").verificationKey)
        #expect(tokenError(.unknownKey) { _ = try verifier.verifyWithoutRevocation(token) })
        #expect(ring.generation > 0)
    }

    @Test("A key replaced under the same kid takes effect at once for a remembered header")
    func sameKeyIDRotation() throws {
        let (key, ring, verifier) = try setup()
        let payload = Self.acceptedPayload
        let old = try craft(header: Self.header, payload: payload, key: key)
        _ = try verifier.verifyWithoutRevocation(old)
        _ = try verifier.verifyWithoutRevocation(old)  // its header is now remembered
        let replacement = try SigningKey.generate(algorithm: .hs256, keyID: "k1")
        try ring.rotate(to: replacement)
        #expect(tokenError(.invalidSignature) { _ = try verifier.verifyWithoutRevocation(old) })
        let new = try craft(header: Self.header, payload: payload, key: replacement)
        #expect(try verifier.verifyWithoutRevocation(new).keyID == "k1")
        #expect(tokenError(.invalidSignature) { _ = try verifier.verifyWithoutRevocation(old) })
    }

    @Test("The header cache stays bounded and remembers only verified headers")
    func cacheBounds() throws {
        let cache = HeaderCache()
        let key = try SigningKey.generate(algorithm: .hs256, keyID: "k").verificationKey
        for index in 0..<(HeaderCache.capacity * 3) {
            let encoded = Array("header-\(index)".utf8)
            cache.remember(.init(encoded: encoded, algorithm: .hs256, keyID: "k\(index)", members: [], key: key, keyRingGeneration: 0))
        }
        let remembered = (0..<(HeaderCache.capacity * 3)).filter { index in
            Array("header-\(index)".utf8).withUnsafeBufferPointer { cache.entry(for: $0) != nil }
        }
        #expect(remembered == Array((HeaderCache.capacity * 2)..<(HeaderCache.capacity * 3)))
        let long = [UInt8](repeating: 0x41, count: HeaderCache.maximumEncodedByteCount + 1)
        cache.remember(.init(encoded: long, algorithm: .hs256, keyID: nil, members: [], key: key, keyRingGeneration: 0))
        #expect(long.withUnsafeBufferPointer { cache.entry(for: $0) } == nil)
    }

    @Test("Issued tokens: members sorted by name with registered and custom merged; registered names refused in custom")
    func issuedEncoding() throws {
        let (_, ring, verifier) = try setup()
        let issuer = TokenIssuer(keyRing: ring, issuer: "https://auth.example", clock: clock.function)
        let token = try issuer.issue(subject: "a", audience: ["registry"], lifetime: 60,
                                     custom: ["zeta": .integer(1), "alpha": .string("x\"y"), "job": .bool(true), "roles": .array([.string("r")])])
        let verified = try verifier.verifyWithoutRevocation(token)
        #expect(verified.payload == Array(try JSONValue(parsing: verified.payload).serialized.utf8))
        #expect(verified.claims.custom["alpha"] == .string("x\"y"))
        #expect(Base64URL.decode(String(token.split(separator: ".")[0])) == Array(#"{"alg":"HS256","kid":"k1","typ":"JWT"}"#.utf8))
        var claims = verified.claims
        claims.custom["sub"] = .string("b")
        #expect(tokenError(.issuanceRefused) { _ = try issuer.sign(claims) })
        #expect(tokenError(.issuanceRefused) { _ = try issuer.issue(subject: "a", lifetime: 60, custom: ["exp": .integer(1)]) })
    }

    @Test("Integers and strings are written as JSON exactly", arguments: [Int64(0), 7, -1, 10, -10, 1_795_514_400, .max, .min])
    func integerWriting(_ number: Int64) throws {
        #expect(JSONValue.integer(number).serialized == String(number))
        #expect(try JSONValue(parsing: Array(JSONValue.integer(number).serialized.utf8)) == .integer(number))
    }

    @Test("The JSON byte writer keeps every byte when it moves from its stack buffer to the heap")
    func byteWriterGrowth() throws {
        // Pieces of every size up to past the stack buffer, in one writer: each crossing of the
        // capacity must carry what was written before.
        let expected = (0..<120).flatMap { piece in [UInt8](repeating: UInt8(truncatingIfNeeded: piece), count: piece) }
        let written = ByteWriter.with { writer in
            for piece in 0..<120 {
                if piece % 2 == 0 {
                    for _ in 0..<piece { writer.append(UInt8(truncatingIfNeeded: piece)) }
                } else {
                    [UInt8](repeating: UInt8(truncatingIfNeeded: piece), count: piece).withUnsafeBytes { writer.append($0) }
                }
            }
            return Array(writer.bytes)
        }
        #expect(expected.count > 4 * ByteWriter.stackCapacity)
        #expect(written == expected)
        // A token whose JSON outgrows the stack buffer carries its claims intact.
        let (_, ring, _) = try setup()
        let long = String(repeating: "long claim ", count: 300)
        let token = try TokenIssuer(keyRing: ring, issuer: "https://auth.example", clock: clock.function)
            .issue(subject: "alice", audience: ["registry"], lifetime: 60, custom: ["note": .string(long)])
        var options = TokenValidationOptions(issuer: "https://auth.example", audience: "registry")
        options.clock = clock.function
        let verified = try TokenVerifier(keyRing: ring, options: options).verifyWithoutRevocation(token)
        #expect(verified.claims.custom["note"] == .string(long))
        #expect(verified.claims.subject == "alice")
    }

    @Test("A writer appending its own bytes while it moves to the heap copies them before freeing")
    func byteWriterSelfAppend() {
        let doubled = ByteWriter.with { writer in
            for _ in 0..<(3 * ByteWriter.stackCapacity / 2) { writer.append(UInt8(ascii: "a")) }
            // Past the stack buffer now: appending the writer's own bytes grows it again.
            writer.append(writer.bytes)
            return Array(writer.bytes)
        }
        #expect(doubled == [UInt8](repeating: UInt8(ascii: "a"), count: 3 * ByteWriter.stackCapacity))
    }

    @Test("An issued token is byte for byte what an independent encoder makes (known answer from Python's json and hmac)")
    func issuedKnownAnswer() throws {
        // Expected value computed once with Python 3: json.dumps(payload, sort_keys=True,
        // separators=(",", ":"), ensure_ascii=False), base64url without padding, and
        // hmac.new(bytes(range(32)), signing_input, sha256). Custom names sort between registered
        // ones ("b", "expa"), strings need escapes, a number is fractional, an object is nested,
        // and the JSON outgrows the writer's stack buffer.
        let key = try SigningKey(hmac: SymmetricKey(data: Array(UInt8(0)..<32)), algorithm: .hs256, keyID: "kat")
        let issuer = TokenIssuer(keyRing: try KeyRing(signingKey: key), clock: clock.function)
        let long = String(repeating: "x", count: 1100)
        let token = try issuer.sign(TokenClaims(
            subject: "alice", issuer: "https://auth.example", audience: ["registry"],
            issuedAt: Date(timeIntervalSince1970: 1_800_000_000), expiresAt: Date(timeIntervalSince1970: 1_800_000_600),
            tokenID: "fixed-id",
            custom: ["b": .string("quote\" backslash\\ newline\n tab\t"), "expa": .double(1.5), "long": .string(long),
                     "z": .object(["n": .array([.integer(1), .bool(true), .null, .string("é ✓")]), "a": .integer(-7)])]))
        let header = #"{"alg":"HS256","kid":"kat","typ":"JWT"}"#
        let payload = #"{"aud":"registry","b":"quote\" backslash\\ newline\n tab\t","exp":1800000600,"expa":1.5,"iat":1800000000,"iss":"https://auth.example","jti":"fixed-id","long":""#
            + long + #"","sub":"alice","z":{"a":-7,"n":[1,true,null,"é ✓"]}}"#
        let parts = token.split(separator: ".").map(String.init)
        #expect(parts.count == 3)
        #expect(Base64URL.decode(parts[0]).map { String(decoding: $0, as: UTF8.self) } == header)
        #expect(Base64URL.decode(parts[1]).map { String(decoding: $0, as: UTF8.self) } == payload)
        #expect(parts.last == "e0AZg_-mm2jPa7vFTS-Ysj2I_i09iY11C1pUqM-6laM")
    }

    @Test("Registered string claims of the wrong type are refused on the fast path too",
          arguments: [#""jti":1"#, #""jti":null"#, #""jti":["a"]"#, #""sub":{"a":1}"#, #""iss":["https://auth.example"]"#])
    func stringClaimTypes(_ member: String) throws {
        let (key, _, verifier) = try setup()
        let payload = #"{"aud":"registry","iat":1800000000,"exp":1800000100,"# + member + "}"
        let token = try craft(header: Self.header, payload: payload, key: key)
        #expect(tokenError(.invalidClaim) { _ = try verifier.verifyWithoutRevocation(token) })
    }

    @Test("Time claims that are not numbers are refused", arguments: [#""nbf":"1800000000""#, #""iat":true"#, #""nbf":null"#])
    func timeClaimTypes(_ member: String) throws {
        let (key, _, verifier) = try setup()
        let payload = #"{"iss":"https://auth.example","aud":"registry","exp":1800000100,"# + member + "}"
        let token = try craft(header: Self.header, payload: payload, key: key)
        #expect(tokenError(.invalidClaim) { _ = try verifier.verifyWithoutRevocation(token) })
    }

    @Test("Time claims in every JSON number form are the numbers they spell; invalid numbers are invalid JSON",
          arguments: ["1800000100", "1800000100.5", "1.8e9", "18E8", "-5", "0", "-0", "7", "123456789012345678",
                      "1234567890123456789", "99999999999999999999", "-123456789012345678", "1800000100 "])
    func timeClaimForms(_ number: String) throws {
        let claims = try CustomClaimsCacheTests.parse(#"{"exp":\#(number),"iat":\#(number),"x":1}"#, cache: nil).get()
        let expected = try #require(Double(number.trimmingCharacters(in: .whitespaces)))
        #expect(claims.expiresAt == Date(timeIntervalSince1970: expected))
        #expect(claims.issuedAt == Date(timeIntervalSince1970: expected))
    }

    @Test("Malformed numbers in time claims are invalid JSON", arguments: ["01", "-", "1.", "1e", "-01", "1e400", "1x", "+1", ".5"])
    func malformedTimeClaims(_ number: String) {
        guard case .failure(let error) = CustomClaimsCacheTests.parse(#"{"exp":\#(number)}"#, cache: nil) else {
            Issue.record("accepted \(number)")
            return
        }
        #expect(error.code == .invalidJSON)
    }

    @Test("An RSA JWK under 2048 bits is refused when loaded")
    func shortRSAKey() throws {
        // A 1024-bit modulus (made once with Python's cryptography package).
        let n = "1WFWepKwB9L725oyDWjtxSyqhypaT-AulmGvdf_u8Jag0OAm7FmitpsJDRSyl25qCd-d0xkG244GuJG5EsMICWm5tpWzke0kNoPYc6kPeytAdNVO-BHAc3vZUhHdzydOU5Fr7iwfXhi3pD32h4o1VQg-elsawB7qgySO5_q3vjM"
        let jwk = try JWK(json: #"{"kty":"RSA","alg":"RS256","kid":"short","e":"AQAB","n":""# + n + #""}"#)
        #expect(tokenError(.invalidKey) { _ = try jwk.verificationKey() })
        #expect(tokenError(.invalidKey) { _ = try JWKSet(json: Array(#"{"keys":[{"kty":"RSA","alg":"RS256","e":"AQAB","n":""#.utf8) + Array(n.utf8) + Array(#""}]}"#.utf8)).verificationKeys() })
    }

    @Test("A registered string claim twice, or with a lone surrogate, is invalid JSON",
          arguments: [#""jti":"a","jti":"a""#, #""sub":"\ud800""#, #""jti":"a","jti":1"#])
    func stringClaimJSON(_ members: String) throws {
        let (key, _, verifier) = try setup()
        let payload = #"{"iss":"https://auth.example","aud":"registry","iat":1800000000,"exp":1800000100,"# + members + "}"
        let token = try craft(header: Self.header, payload: payload, key: key)
        #expect(tokenError(.invalidJSON) { _ = try verifier.verifyWithoutRevocation(token) })
    }

    @Test("Strings needing escapes round-trip; plain ones are copied as they are")
    func stringWriting() throws {
        for text in ["plain", "", "quote\"", "back\\slash", "tab\t", "nul\u{0}", "é ✓ 😀", "\u{1F}"] {
            let written = JSONValue.string(text).serialized
            #expect(try JSONValue(parsing: Array(written.utf8)) == .string(text), "\(text)")
        }
        #expect(JSONValue.string("é ✓").serialized == "\"é ✓\"")
    }

    @Test("Issuing from name-ordered pairs equals issuing from a dictionary; disorder and registered names are refused", arguments: [JWSAlgorithm.hs256, .edDSA])
    func sortedCustomIssue(_ algorithm: JWSAlgorithm) throws {
        let key = try SigningKey.generate(algorithm: algorithm, keyID: "k1")
        let ring = try KeyRing(signingKey: key)
        let issuer = TokenIssuer(keyRing: ring, issuer: "https://auth.example", clock: clock.function)
        let verifier = TokenVerifier(keyRing: ring, options: TokenValidationOptions(issuer: "https://auth.example", clock: clock.function))
        let pairs: [(key: String, value: JSONValue)] = [("action", .string("read_data")), ("resource_id", .string("c\"1")),
                                                          ("resource_type", .string("dataset"))]
        let fromPairs = try verifier.verifyWithoutRevocation(issuer.issue(subject: "alice", lifetime: 60, sortedCustom: pairs, type: "at+jwt"))
        let fromDictionary = try verifier.verifyWithoutRevocation(issuer.issue(
            subject: "alice", lifetime: 60, custom: Dictionary(uniqueKeysWithValues: pairs.map { ($0.key, $0.value) }), type: "at+jwt"))
        #expect(fromPairs.claims.custom == fromDictionary.claims.custom)
        #expect(fromPairs.header == fromDictionary.header)
        #expect(fromPairs.payload == Array(try JSONValue(parsing: fromPairs.payload).serialized.utf8))
        for bad: [(key: String, value: JSONValue)] in [[("b", .null), ("a", .null)], [("a", .null), ("a", .null)], [("exp", .integer(1))]] {
            #expect(tokenError(.issuanceRefused) { _ = try issuer.issue(subject: "alice", lifetime: 60, sortedCustom: bad, type: "JWT") })
        }
    }

    @Test("The appended signature is the key's signature over the token's signing input", arguments: [JWSAlgorithm.hs256, .hs384, .hs512, .edDSA])
    func appendedSignature(_ algorithm: JWSAlgorithm) throws {
        let key = try SigningKey.generate(algorithm: algorithm, keyID: "k1")
        let token = try TokenIssuer(keyRing: try KeyRing(signingKey: key)).issue(subject: "a", lifetime: 60)
        let parts = token.split(separator: ".")
        let input = Array((parts[0] + "." + parts[1]).utf8)
        #expect(Base64URL.decode(String(parts[2])) == (try key.signature(for: input)))
    }

    @Test("base64url encoding matches Foundation's (URL alphabet, no padding) for every length mod 3")
    func base64Encoding() {
        for count in 0..<64 {
            let bytes = (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ count) }
            let expected = Data(bytes).base64EncodedString()
                .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                .replacingOccurrences(of: "=", with: "")
            #expect(Base64URL.encode(bytes) == expected, "\(count) bytes")
            var appended = Array("prefix.".utf8)
            bytes.withUnsafeBytes { Base64URL.encode($0, appendingTo: &appended) }
            #expect(appended == Array(("prefix." + expected).utf8))
        }
    }
}
