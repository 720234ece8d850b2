import Foundation
import Testing
@testable import ZeroTrustIdentity
import ZeroTrustCrypto

@Suite("Token issue and verify")
struct TokenVerifierTests {
    let clock = TestClock(epoch)

    func setup(_ algorithm: JWSAlgorithm = .hs256, options: TokenValidationOptions? = nil)
        throws -> (SigningKey, KeyRing, TokenIssuer, TokenVerifier) {
        let key = try SigningKey.generate(algorithm: algorithm, keyID: "k1")
        let ring = try KeyRing(signingKey: key)
        let issuer = TokenIssuer(keyRing: ring, issuer: "https://auth.example", clock: clock.function)
        var validation = options ?? TokenValidationOptions(issuer: "https://auth.example", audience: "registry")
        validation.clock = clock.function
        return (key, ring, issuer, TokenVerifier(keyRing: ring, options: validation))
    }

    struct Grants: Codable, Equatable {
        let org: String
        let roles: [String]
        let permissions: [String]
        let amr: [String]
    }

    @Test("Every algorithm issues a token that verifies, with typed custom claims", arguments: JWSAlgorithm.allCases)
    func roundTrip(algorithm: JWSAlgorithm) async throws {
        let (_, _, issuer, verifier) = try setup(algorithm)
        let grants = Grants(org: "corp", roles: ["data_scientist"], permissions: ["read_data", "read_metrics", "submit_training_job"], amr: ["mfa"])
        let token = try issuer.issue(subject: "alice", audience: ["registry"], lifetime: 600, claims: grants)
        let verified = try await verifier.verify(token)
        #expect(verified.algorithm == algorithm && verified.keyID == "k1")
        #expect(verified.claims.subject == "alice" && verified.claims.issuer == "https://auth.example")
        #expect(verified.claims.audience == ["registry"])
        #expect(verified.claims.roles == ["data_scientist"] && verified.claims.organization == "corp")
        #expect(verified.claims.permissions.count == 3 && verified.claims.authenticationMethods == ["mfa"])
        #expect(verified.claims.expiresAt == epoch.addingTimeInterval(600) && verified.claims.issuedAt == epoch)
        #expect(verified.claims.tokenID?.count == 22)
        #expect(try verified.decodeClaims(as: Grants.self) == grants)
        // One flipped signature bit fails.
        var tampered = Array(token.utf8)
        let last = tampered.count - 3
        tampered[last] = tampered[last] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        #expect(await tokenError(.invalidSignature) { _ = try await verifier.verify(String(decoding: tampered, as: UTF8.self)) })
    }

    @Test("Time claims: exp, nbf, iat in the future, leeway, lifetime")
    func timeClaims() async throws {
        let (key, _, issuer, verifier) = try setup()
        let token = try issuer.issue(subject: "a", audience: ["registry"], lifetime: 300)
        clock.now = epoch.addingTimeInterval(300 + 29)  // within 30 s leeway
        _ = try await verifier.verify(token)
        clock.now = epoch.addingTimeInterval(300 + 30)
        #expect(await tokenError(.expired) { _ = try await verifier.verify(token) })
        clock.now = epoch
        let later = try issuer.issue(subject: "a", audience: ["registry"], lifetime: 300, notBefore: epoch.addingTimeInterval(120))
        #expect(await tokenError(.notYetValid) { _ = try await verifier.verify(later) })
        clock.now = epoch.addingTimeInterval(100)
        _ = try await verifier.verify(later)
        clock.now = epoch
        let base = #""iss":"https://auth.example","aud":"registry","sub":"a""#
        let future = try craft(header: #"{"alg":"HS256","kid":"k1"}"#, payload: "{\(base),\"iat\":1800000100,\"exp\":1800000400}", key: key)
        #expect(await tokenError(.issuedInFuture) { _ = try await verifier.verify(future) })
        let long = try craft(header: #"{"alg":"HS256","kid":"k1"}"#, payload: "{\(base),\"iat\":1800000000,\"exp\":1800007201}", key: key)
        #expect(await tokenError(.lifetimeTooLong) { _ = try await verifier.verify(long) })
        let noExp = try craft(header: #"{"alg":"HS256","kid":"k1"}"#, payload: "{\(base),\"iat\":1800000000}", key: key)
        #expect(await tokenError(.missingClaim) { _ = try await verifier.verify(noExp) })
        let noIat = try craft(header: #"{"alg":"HS256","kid":"k1"}"#, payload: "{\(base),\"exp\":1800000100}", key: key)
        #expect(await tokenError(.missingClaim) { _ = try await verifier.verify(noIat) })
        let stringExp = try craft(header: #"{"alg":"HS256","kid":"k1"}"#, payload: "{\(base),\"iat\":1800000000,\"exp\":\"1800000100\"}", key: key)
        #expect(await tokenError(.invalidClaim) { _ = try await verifier.verify(stringExp) })
        let badAud = try craft(header: #"{"alg":"HS256","kid":"k1"}"#, payload: #"{"iss":"https://auth.example","aud":[1],"iat":1800000000,"exp":1800000100}"#, key: key)
        #expect(await tokenError(.invalidClaim) { _ = try await verifier.verify(badAud) })
    }

    @Test("Issuer and audience: string or array in the token")
    func issuerAudience() async throws {
        let (key, _, issuer, verifier) = try setup()
        let many = try issuer.issue(subject: "a", audience: ["other", "registry"], lifetime: 60)
        #expect(try await verifier.verify(many).claims.audience == ["other", "registry"])
        let wrongAudience = try issuer.issue(subject: "a", audience: ["other"], lifetime: 60)
        #expect(await tokenError(.wrongAudience) { _ = try await verifier.verify(wrongAudience) })
        let foreign = try craft(header: #"{"alg":"HS256","kid":"k1"}"#,
                                payload: #"{"iss":"https://evil.example","aud":"registry","iat":1800000000,"exp":1800000100}"#, key: key)
        #expect(await tokenError(.wrongIssuer) { _ = try await verifier.verify(foreign) })
        var strict = verifier.options
        strict.requiredClaims = ["jti", "sub"]
        let noJTI = try craft(header: #"{"alg":"HS256","kid":"k1"}"#,
                              payload: #"{"iss":"https://auth.example","aud":"registry","sub":"a","iat":1800000000,"exp":1800000100}"#, key: key)
        let strictVerifier = TokenVerifier(keyRing: verifier.keyRing, options: strict)
        #expect(await tokenError(.missingClaim) { _ = try await strictVerifier.verify(noJTI) })
    }

    @Test("Hostile headers are refused before the signature is trusted")
    func hostileHeaders() async throws {
        let (key, _, _, verifier) = try setup()
        let claims = #"{"iss":"https://auth.example","aud":"registry","iat":1800000000,"exp":1800000100}"#
        let cases: [(String, TokenError.Code)] = [
            (#"{"alg":"none","kid":"k1"}"#, .algorithmNotAllowed),
            (#"{"alg":"NoNe","kid":"k1"}"#, .algorithmNotAllowed),
            (#"{"alg":"HS1024","kid":"k1"}"#, .algorithmNotAllowed),
            (#"{"kid":"k1"}"#, .algorithmNotAllowed),
            (#"{"alg":"ES256","kid":"k1"}"#, .algorithmNotAllowed),     // alg is not the key's
            (#"{"alg":"HS512","kid":"k1"}"#, .algorithmNotAllowed),
            (#"{"alg":"HS256","kid":"k1","crit":["exp"],"exp":1}"#, .unsupportedCriticalHeader),
            (#"{"alg":"HS256","kid":"k1","jwk":{"kty":"oct","k":"AAAA"}}"#, .embeddedKeyNotAllowed),
            (#"{"alg":"HS256","kid":"k1","jku":"https://evil.example/jwks"}"#, .embeddedKeyNotAllowed),
            (#"{"alg":"HS256","kid":"k1","x5u":"https://evil.example/cert"}"#, .embeddedKeyNotAllowed),
            (#"{"alg":"HS256","kid":"k1","x5c":["MIIB"]}"#, .embeddedKeyNotAllowed),
            (#"{"alg":"HS256","kid":"k1","typ":"approval+jwt"}"#, .wrongType),
            (#"{"alg":"HS256","kid":"k2"}"#, .unknownKey),
            (#"{"alg":"HS256"}"#, .unknownKey),
            (#"{"alg":"HS256","kid":"k1","kid":"k1"}"#, .invalidJSON),       // duplicate member
            (#"["alg","HS256"]"#, .invalidJSON),
        ]
        for (header, code) in cases {
            let token = try craft(header: header, payload: claims, key: key)
            #expect(await tokenError(code) { _ = try await verifier.verify(token) }, "\(header)")
        }
        let duplicateClaim = try craft(header: #"{"alg":"HS256","kid":"k1"}"#,
                                       payload: #"{"iss":"https://auth.example","aud":"registry","iat":1800000000,"exp":1800000100,"sub":"a","sub":"b"}"#, key: key)
        #expect(await tokenError(.invalidJSON) { _ = try await verifier.verify(duplicateClaim) })
        let arrayPayload = try craft(header: #"{"alg":"HS256","kid":"k1"}"#, payload: "[1,2]", key: key)
        #expect(await tokenError(.invalidJSON) { _ = try await verifier.verify(arrayPayload) })
        let typed = try craft(header: #"{"alg":"HS256","kid":"k1","typ":"at+JWT"}"#, payload: claims, key: key)
        _ = try await verifier.verify(typed)  // typ compares case-insensitively (RFC 7515 §4.1.9)
    }

    @Test("Malformed encodings: segments, base64url, size")
    func malformed() async throws {
        let (_, _, issuer, verifier) = try setup()
        let token = try issuer.issue(subject: "a", audience: ["registry"], lifetime: 60)
        let parts = token.split(separator: ".").map(String.init)
        #expect(await tokenError(.malformed) { _ = try await verifier.verify(parts[0] + "." + parts[1]) })
        #expect(await tokenError(.malformed) { _ = try await verifier.verify(token + ".x.y") })
        #expect(await tokenError(.malformed) { _ = try await verifier.verify(parts[0] + "." + parts[1] + ".") })
        #expect(await tokenError(.invalidBase64) { _ = try await verifier.verify(parts[0] + "=." + parts[1] + "." + parts[2]) })
        #expect(await tokenError(.invalidBase64) { _ = try await verifier.verify(parts[0] + "." + parts[1] + "." + parts[2].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/") + "+") })
        #expect(await tokenError(.invalidBase64) { _ = try await verifier.verify(parts[0] + " ." + parts[1] + "." + parts[2]) })
        let huge = String(repeating: "a", count: 8193)
        #expect(await tokenError(.tooLarge) { _ = try await verifier.verify(huge) })
        let oversized = try issuer.issue(subject: "a", audience: ["registry"], lifetime: 60,
                                         custom: ["blob": .string(String(repeating: "x", count: 7000))])
        #expect(await tokenError(.tooLarge) { _ = try await verifier.verify(oversized) })
    }

    @Test("Base64url decoding is canonical")
    func canonicalBase64() {
        #expect(Base64URL.decode("AA") == [0])
        #expect(Base64URL.decode("AB") == nil)        // non-zero unused bits
        #expect(Base64URL.decode("AAA") == [0, 0])
        #expect(Base64URL.decode("AAB") == nil)
        #expect(Base64URL.decode("A") == nil)
        #expect(Base64URL.decode("AA==") == nil)
        #expect(Base64URL.decode("-_-_") == [0xfb, 0xff, 0xbf])
        for count in 0..<40 {
            let bytes = SecureRandom.bytes(count: count)
            #expect(Base64URL.decode(Base64URL.encode(bytes)) == bytes)
        }
    }

    @Test("Base64url decoding judges every byte value at every position of a quantum as Foundation does")
    func base64EveryByte() {
        // Foundation's decoder (standard alphabet, padded) is the reference: a quantum is valid
        // here exactly when its URL-alphabet translation is valid there, with the same bytes.
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
        func reference(_ quantum: [UInt8]) -> [UInt8]? {
            guard quantum.allSatisfy({ alphabet.contains($0) }) else { return nil }
            let standard = quantum.map { $0 == UInt8(ascii: "-") ? UInt8(ascii: "+") : $0 == UInt8(ascii: "_") ? UInt8(ascii: "/") : $0 }
            return Data(base64Encoded: Data(standard)).map(Array.init)
        }
        var mismatches = 0
        for position in 0..<4 {
            for byte in UInt8.min...UInt8.max {
                // The other three characters vary with the byte so that every sextet meets every place.
                var quantum = (0..<4).map { alphabet[(Int(byte) &* 7 &+ $0 &* 13) % 64] }
                quantum[position] = byte
                let decoded = quantum.withUnsafeBufferPointer { Base64URL.decode($0) }
                if decoded != reference(quantum) { mismatches += 1 }
                // The same quantum after a valid one, so the loop over quanta runs twice.
                let longer = Array("QUJD".utf8) + quantum
                let expected = reference(quantum).map { [0x41, 0x42, 0x43] + $0 }
                if longer.withUnsafeBufferPointer({ Base64URL.decode($0) }) != expected { mismatches += 1 }
            }
        }
        // The 2- and 3-character tails, which keep their own checks: valid exactly when Foundation
        // decodes the padded form and the bytes encode back to the same text (no stray low bits).
        func canonicalReference(_ tail: [UInt8]) -> [UInt8]? {
            guard tail.allSatisfy({ alphabet.contains($0) }) else { return nil }
            let standard = tail.map { $0 == UInt8(ascii: "-") ? UInt8(ascii: "+") : $0 == UInt8(ascii: "_") ? UInt8(ascii: "/") : $0 }
            let padded = standard + [UInt8](repeating: UInt8(ascii: "="), count: 4 - tail.count)
            guard let bytes = Data(base64Encoded: Data(padded)).map(Array.init) else { return nil }
            return Array(Base64URL.encode(bytes).utf8) == tail ? bytes : nil
        }
        var tailMismatches = 0
        for length in [2, 3] {
            for position in 0..<length {
                for byte in UInt8.min...UInt8.max {
                    var tail = (0..<length).map { alphabet[(Int(byte) &* 5 &+ $0 &* 11) % 64] }
                    tail[position] = byte
                    if tail.withUnsafeBufferPointer({ Base64URL.decode($0) }) != canonicalReference(tail) { tailMismatches += 1 }
                }
            }
        }
        #expect(tailMismatches == 0)
    }

    @Test("Issuer rules: lifetime cap, reserved claims, no signing key")
    func issuerRules() throws {
        let (_, ring, issuer, _) = try setup()
        #expect(tokenError(.issuanceRefused) { _ = try issuer.issue(subject: "a", lifetime: 3601) })
        #expect(tokenError(.issuanceRefused) { _ = try issuer.issue(subject: "a", lifetime: 0) })
        #expect(tokenError(.issuanceRefused) { _ = try issuer.issue(subject: "a", lifetime: 60, custom: ["exp": .integer(1)]) })
        let empty = try KeyRing(verificationKeys: ring.verificationKeys)
        #expect(tokenError(.issuanceRefused) { _ = try TokenIssuer(keyRing: empty).issue(subject: "a", lifetime: 60) })
    }

    @Test("Weak keys are refused at load")
    func weakKeys() throws {
        #expect(tokenError(.invalidKey) { _ = try SigningKey(hmac: SymmetricKey(size: .bits128), algorithm: .hs256, keyID: nil) })
        #expect(tokenError(.invalidKey) { _ = try SigningKey(hmac: SymmetricKey(size: .bits256), algorithm: .hs512, keyID: nil) })
        #expect(tokenError(.invalidKey) { _ = try SigningKey(hmac: SymmetricKey(size: .bits256), algorithm: .es256, keyID: nil) })
        #expect(tokenError(.invalidKey) { _ = try SigningKey(rsa: try RSA.PrivateKey(keySize: 2048), algorithm: .hs256, keyID: nil) })
    }

    @Test("Rotation: old tokens verify until their key is removed; new tokens use the new kid")
    func rotation() async throws {
        let (_, ring, issuer, verifier) = try setup(.es256)
        let old = try issuer.issue(subject: "a", audience: ["registry"], lifetime: 600)
        try ring.rotate(to: SigningKey.generate(algorithm: .es256, keyID: "k2"))
        let new = try issuer.issue(subject: "a", audience: ["registry"], lifetime: 600)
        #expect(try await verifier.verify(new).keyID == "k2")
        #expect(try await verifier.verify(old).keyID == "k1")
        #expect(tokenError(.invalidKey) { try ring.removeVerificationKey(keyID: "k2") })
        #expect(try ring.removeVerificationKey(keyID: "k1"))
        #expect(await tokenError(.unknownKey) { _ = try await verifier.verify(old) })
        _ = try await verifier.verify(new)
    }

    @Test("Missing kid: only when allowed and exactly one key of the algorithm exists")
    func missingKeyID() async throws {
        let key = try SigningKey.generate(algorithm: .edDSA, keyID: nil)
        let claims = #"{"iat":1800000000,"exp":1800000100}"#
        let token = try craft(header: #"{"alg":"EdDSA"}"#, payload: claims, key: key)
        let options = TokenValidationOptions(clock: clock.function)
        let strictRing = try KeyRing(verificationKeys: [key.verificationKey])
        #expect(await tokenError(.unknownKey) { _ = try await TokenVerifier(keyRing: strictRing, options: options).verify(token) })
        let lenient = try KeyRing(verificationKeys: [key.verificationKey], allowsMissingKeyID: true)
        _ = try await TokenVerifier(keyRing: lenient, options: options).verify(token)
        try lenient.addVerificationKey(try SigningKey.generate(algorithm: .edDSA, keyID: "other").verificationKey)
        #expect(await tokenError(.unknownKey) { _ = try await TokenVerifier(keyRing: lenient, options: options).verify(token) })
    }

    @Test("Revocation: a revoked jti is refused until it expires; a failing store fails closed")
    func revocation() async throws {
        let (_, ring, issuer, _) = try setup()
        let store = InMemoryRevocationStore(clock: clock.function)
        var options = TokenValidationOptions(issuer: "https://auth.example")
        options.clock = clock.function
        let verifier = TokenVerifier(keyRing: ring, options: options, revocationStore: store)
        let token = try issuer.issue(subject: "a", lifetime: 300)
        let verified = try await verifier.verify(token)
        try await store.revoke(try #require(verified.claims.tokenID), until: try #require(verified.claims.expiresAt))
        #expect(await tokenError(.revoked) { _ = try await verifier.verify(token) })
        let other = try issuer.issue(subject: "a", lifetime: 300)
        _ = try await verifier.verify(other)
        // Past exp but within the verifier's leeway (30 s) the token would verify again if the
        // store had already forgotten it.
        clock.now = epoch.addingTimeInterval(300 + 29)
        #expect(await tokenError(.revoked) { _ = try await verifier.verify(token) })
        // Once no verifier can accept it (exp plus the store's retention), the entry goes.
        clock.now = epoch.addingTimeInterval(300 + store.retention + 1)
        #expect(try await store.isRevoked(try #require(verified.claims.tokenID)) == false)
        #expect(store.count == 0)
        // A verifier that checks revocation cannot check a token without jti: refused.
        clock.now = epoch
        let unnamed = try issuer.sign(TokenClaims(issuer: "https://auth.example", issuedAt: epoch,
                                                  expiresAt: epoch.addingTimeInterval(300)))
        #expect(await tokenError(.missingClaim) { _ = try await verifier.verify(unnamed) })
        _ = try await TokenVerifier(keyRing: ring, options: options).verify(unnamed)

        struct BrokenStore: RevocationStore {
            struct Down: Error {}
            func isRevoked(_ tokenID: String) async throws -> Bool { throw Down() }
            func revoke(_ tokenID: String, until expiry: Date) async throws { throw Down() }
        }
        clock.now = epoch
        let failing = TokenVerifier(keyRing: ring, options: options, revocationStore: BrokenStore())
        #expect(await tokenError(.storeUnavailable) { _ = try await failing.verify(other) })
    }

    @Test("Every CPU's copy of the ring has each change before the change returns")
    func everyCopyChanges() throws {
        let (_, ring, _, _) = try setup(.hs256)
        #expect(ring.keyIDsOfEveryCopy.count == min(64, max(1, ProcessInfo.processInfo.processorCount)))
        try ring.rotate(to: SigningKey.generate(algorithm: .hs256, keyID: "k2"))
        try ring.addVerificationKey(SigningKey.generate(algorithm: .hs256, keyID: "k3").verificationKey)
        #expect(try ring.removeVerificationKey(keyID: "k1"))
        for copy in ring.keyIDsOfEveryCopy {
            #expect(copy.signing == "k2")
            #expect(copy.verifying == ["k2", "k3"])
        }
        // A refused change reaches no copy.
        #expect(tokenError(.invalidKey) { try ring.addVerificationKey(try SigningKey.generate(algorithm: .hs256, keyID: "k3").verificationKey) })
        #expect(tokenError(.invalidKey) { try ring.removeVerificationKey(keyID: "k2") })
        #expect(ring.keyIDsOfEveryCopy.allSatisfy { $0.signing == "k2" && $0.verifying == ["k2", "k3"] })
    }

    @Test("Tokens signed on any core verify on every core while the ring rotates")
    func rotationAcrossCores() async throws {
        let (_, ring, issuer, verifier) = try setup(.hs256)
        let failures = await withTaskGroup(of: Int.self) { group in
            group.addTask {
                for round in 0..<20 { try? ring.rotate(to: SigningKey.generate(algorithm: .hs256, keyID: "r\(round)")) }
                return 0
            }
            for _ in 0..<32 {
                group.addTask {
                    var failures = 0
                    for _ in 0..<50 {
                        // Signed by whichever copy this thread reads, verified by whichever copy it
                        // reads next: rotation publishes a key to every copy before any signs with it.
                        guard let token = try? issuer.issue(subject: "a", audience: ["registry"], lifetime: 600),
                              (try? await verifier.verify(token)) != nil else { failures += 1; continue }
                    }
                    return failures
                }
            }
            return await group.reduce(0, +)
        }
        #expect(failures == 0)
    }

    @Test("Concurrent verification with rotation in flight")
    func concurrency() async throws {
        let (_, ring, issuer, verifier) = try setup(.hs256)
        let tokens = try (0..<50).map { _ in try issuer.issue(subject: "a", audience: ["registry"], lifetime: 600) }
        let failures = await withTaskGroup(of: Int.self) { group in
            for index in 0..<200 {
                group.addTask {
                    if index == 100 { try? ring.rotate(to: SigningKey.generate(algorithm: .hs256, keyID: "k-new")) }
                    return (try? await verifier.verify(tokens[index % tokens.count])) == nil ? 1 : 0
                }
            }
            return await group.reduce(0, +)
        }
        #expect(failures == 0)
    }
}
