import Foundation
import Testing
@testable import ZeroTrustIdentity
import ZeroTrustCrypto

/// The cache of custom claims by their text: a payload parsed through it must give exactly what
/// the strict parser gives, claims or error, whether the cache has seen its custom members or not.
@Suite("Custom claims cache")
struct CustomClaimsCacheTests {
    /// Parses `payload` as the verifier does, with or without a cache.
    static func parse(_ payload: [UInt8], cache: CustomClaimsCache?) -> Result<TokenClaims, TokenError> {
        payload.withUnsafeBufferPointer { bytes in
            var claims = TokenClaims()
            do throws(TokenError) {
                try claims.parse(payload: bytes, customClaimsCache: cache)
                return .success(claims)
            } catch {
                return .failure(error)
            }
        }
    }

    static func parse(_ payload: String, cache: CustomClaimsCache?) -> Result<TokenClaims, TokenError> {
        parse(Array(payload.utf8), cache: cache)
    }

    /// The span of the member `text` (name through value) in `payload`.
    static func span(of text: String, in payload: String) -> Range<Int> {
        let bytes = Array(payload.utf8), member = Array(text.utf8)
        let start = (0...(bytes.count - member.count)).first { Array(bytes[$0..<($0 + member.count)]) == member } ?? -1
        return start..<(start + member.count)
    }

    static let valid: [String] = [
        #"{"exp":1800000100,"permissions":["read_data","submit_training_job"],"sub":"alice"}"#,
        #"{"roles":["admin"],"exp":1,"org":"acme"}"#,
        #"{"a":{"b":[1,2.5,-3e2,true,false,null,{"c":"\"}]"}]},"exp":1}"#,
        #"{"s":"line\nbreak \u00e9 \ud83d\ude00 \\","exp":1}"#,
        #"{ "x" : 1 , "y":[ ] ,"z":{ }, "exp" : 1 }"#,
        #"{"n":0}"#, #"{"n":-0.5e-3}"#, #"{"n":1E+2}"#, #"{"t":true}"#, #"{"t":null}"#, #"{"t":false,"u":"v"}"#,
        #"{"\u0070ermissions":["a"],"exp":1}"#,
        #"{"empty":"","list":[[],{}],"exp":1}"#,
        "{" + (0..<20).map { #""c\#($0)":\#($0)"# }.joined(separator: ",") + "}",
    ]

    static let invalid: [String] = [
        #"{"x":[1,,2]}"#, #"{"x":[1,2}"#, #"{"x":{"a":1,"a":2}}"#, #"{"x":"\u12"}"#, #"{"x":"\q"}"#, #"{"x":tru}"#,
        #"{"x":nulls}"#, #"{"x":01}"#, #"{"x":1.}"#, #"{"x":-}"#, #"{"x":1e}"#, "{\"x\":\"a\u{01}\"}", #"{"x":"\ud800"}"#,
        #"{"x":1,"x":2}"#, #"{"x":1,"y":2,"x":[3]}"#, #"{"x":"a"#, #"{"x":}"#, #"{"x":[1]]}"#, #"{"x":{"y":[}]}}"#,
        #"{"x":[1] "y":2}"#, #"{"x":1 2}"#, #"{"x":{"a" 1}}"#, #"{"x":{1:2}}"#, #"{"x":[1],}"#, #"{"x":1}x"#,
        String(repeating: #"{"x":"#, count: 40) + "1" + String(repeating: "}", count: 40),
        #"{"sub":1,"x":[1,,2]}"#, #"{"sub":1,"x":[1]}"#, #"{"exp":"soon","x":"y"}"#,
    ]

    @Test("Through the cache, every payload parses as the strict parser parses it, the first time and when remembered")
    func sameAsStrict() {
        let cache = CustomClaimsCache(copies: 1)
        for payload in Self.valid + Self.invalid {
            let strict = Self.parse(payload, cache: nil)
            #expect(Self.parse(payload, cache: cache) == strict, "first: \(payload)")
            #expect(Self.parse(payload, cache: cache) == strict, "again: \(payload)")
        }
        for payload in Self.valid {
            guard case .success = Self.parse(payload, cache: nil) else {
                Issue.record("not valid: \(payload)")
                continue
            }
        }
        for payload in Self.invalid {
            guard case .failure = Self.parse(payload, cache: nil) else {
                Issue.record("not invalid: \(payload)")
                continue
            }
        }
    }

    @Test("Invalid UTF-8 in a custom value is refused through the cache too")
    func invalidUTF8() {
        let cache = CustomClaimsCache(copies: 1)
        for bad in [[0xFF], [0xC3], [0xED, 0xA0, 0x80], [0xC0, 0xAF]] as [[UInt8]] {
            let payload = Array(#"{"x":"a"#.utf8) + bad + Array(#"","exp":1}"#.utf8)
            let strict = Self.parse(payload, cache: nil)
            guard case .failure(let error) = strict else {
                Issue.record("accepted \(bad)")
                continue
            }
            #expect(error.code == .invalidJSON)
            #expect(Self.parse(payload, cache: cache) == strict)
            #expect(Self.parse(payload, cache: cache) == strict)
        }
    }

    @Test("A remembered entry is what a payload with exactly those members gets")
    func hitReturnsEntry() throws {
        let cache = CustomClaimsCache(copies: 1)
        let payload = #"{"exp":1,"permissions":["a"],"sub":"s"}"#
        let spans = [Self.span(of: #""permissions":["a"]"#, in: payload)]
        // An entry that the text does not parse to shows that the second parse came from the cache.
        let planted: [String: JSONValue] = ["permissions": .array([.string("planted")])]
        Array(payload.utf8).withUnsafeBufferPointer { bytes in
            spans.withUnsafeBufferPointer { cache.remember(planted, for: $0, in: bytes) }
        }
        #expect(try Self.parse(payload, cache: cache).get().custom == planted)
        #expect(try Self.parse(payload, cache: cache).get().subject == "s")
        // Anything else in the members is not a hit.
        for other in [#"{"exp":1,"permissions":["b"],"sub":"s"}"#, #"{"exp":1,"permissions":["a"],"sub":"s","x":1}"#,
                      #"{"exp":1,"permissions": ["a"],"sub":"s"}"#, #"{"exp":1,"permission":["a"],"sub":"s"}"#] {
            #expect(try Self.parse(other, cache: cache).get() == Self.parse(other, cache: nil).get(), "\(other)")
        }
    }

    @Test("A remembered member is never taken for a longer value that starts the same way")
    func delimiter() throws {
        let cache = CustomClaimsCache(copies: 1)
        _ = Self.parse(#"{"n":1,"exp":1}"#, cache: cache)
        _ = Self.parse(#"{"n":1}"#, cache: cache)
        for (payload, expected) in [(#"{"n":12,"exp":1}"#, JSONValue.integer(12)), (#"{"n":1.5}"#, .double(1.5)),
                                    (#"{"n":1e2}"#, .double(100)), (#"{"n":1 }"#, .integer(1)), (#"{"n":1}"#, .integer(1))] {
            #expect(try Self.parse(payload, cache: cache).get().custom["n"] == expected, "\(payload)")
        }
        #expect(Self.parse(#"{"n":1x}"#, cache: cache) == Self.parse(#"{"n":1x}"#, cache: nil))
    }

    @Test("Members matching a remembered entry's first members but not all are parsed, not taken from it")
    func partialMatch() throws {
        let cache = CustomClaimsCache(copies: 1)
        let first = #"{"org":"acme","roles":["admin"]}"#
        let second = #"{"org":"acme","roles":["viewer"]}"#
        let fewer = #"{"org":"acme"}"#
        for payload in [first, second, fewer, first, second, fewer] {
            #expect(try Self.parse(payload, cache: cache).get() == Self.parse(payload, cache: nil).get(), "\(payload)")
        }
    }

    @Test("Claims from the cache are values: changing one token's claims changes no other's")
    func copyOnWrite() throws {
        let cache = CustomClaimsCache(copies: 1)
        let payload = #"{"exp":1,"roles":["admin"]}"#
        var first = try Self.parse(payload, cache: cache).get()
        first.custom["roles"] = .array([.string("root")])
        #expect(try Self.parse(payload, cache: cache).get().roles == ["admin"])
    }

    @Test("The cache stays bounded, and keeps no member text over its limit")
    func bounded() throws {
        let cache = CustomClaimsCache(copies: 1)
        for index in 0..<(CustomClaimsCache.capacity * 3) {
            _ = Self.parse(#"{"exp":1,"id":\#(index)}"#, cache: cache)
        }
        #expect(cache.entryCount == CustomClaimsCache.capacity)
        let long = CustomClaimsCache(copies: 1)
        let text = String(repeating: "a", count: CustomClaimsCache.maximumTextByteCount)
        #expect(try Self.parse(#"{"exp":1,"long":"\#(text)"}"#, cache: long).get().custom["long"] == .string(text))
        #expect(long.entryCount == 0)
    }

    @Test("After a run of misses the cache is left alone for a while, then used again")
    func bypassAfterMisses() throws {
        let cache = CustomClaimsCache(copies: 1)
        let payload = #"{"exp":1,"roles":["admin"]}"#
        let planted: [String: JSONValue] = ["roles": .array([.string("planted")])]
        Self.plant(planted, member: #""roles":["admin"]"#, of: payload, in: cache)
        #expect(try Self.parse(payload, cache: cache).get().custom == planted)
        // Misses that are too long to remember, so that the planted entry stays.
        let long = String(repeating: "x", count: CustomClaimsCache.maximumTextByteCount)
        for index in 0..<CustomClaimsCache.missLimit {
            #expect(try Self.parse(#"{"exp":1,"n\#(index)":"\#(long)"}"#, cache: cache).get().custom["n\(index)"] == .string(long))
        }
        for _ in 0..<CustomClaimsCache.bypassLength {
            #expect(try Self.parse(payload, cache: cache).get().roles == ["admin"])
        }
        #expect(try Self.parse(payload, cache: cache).get().custom == planted)
    }

    /// Plants `planted` as the claims of `payload`'s one custom member `member`.
    static func plant(_ planted: [String: JSONValue], member: String, of payload: String, in cache: CustomClaimsCache) {
        Array(payload.utf8).withUnsafeBufferPointer { bytes in
            [span(of: member, in: payload)].withUnsafeBufferPointer { cache.remember(planted, for: $0, in: bytes) }
        }
    }

    @Test("Misses count towards the bypass even when their first member matches an entry, and so do payloads with too many custom members",
          arguments: [true, false])
    func missesThatCount(firstMemberShared: Bool) throws {
        let cache = CustomClaimsCache(copies: 1)
        for index in 0..<CustomClaimsCache.missLimit {
            let payload = firstMemberShared
                ? #"{"amr":["pwd"],"exp":1,"sid":"s\#(index)"}"#
                : "{" + (0...CustomClaimsCache.maximumMemberCount).map { #""c\#($0)":\#(index)"# }.joined(separator: ",") + "}"
            #expect(try Self.parse(payload, cache: cache).get() == Self.parse(payload, cache: nil).get())
        }
        // Bypassing now: an entry planted after the misses is not used...
        let payload = #"{"exp":1,"roles":["admin"]}"#
        let planted: [String: JSONValue] = ["roles": .array([.string("planted")])]
        Self.plant(planted, member: #""roles":["admin"]"#, of: payload, in: cache)
        for _ in 0..<CustomClaimsCache.bypassLength {
            #expect(try Self.parse(payload, cache: cache).get().roles == ["admin"])
        }
        // ...until the bypass ends.
        #expect(try Self.parse(payload, cache: cache).get().custom == planted)
    }

    @Test("Many tasks verifying tokens of a few principals at once each get their own claims")
    func concurrentVerification() async throws {
        let clock = TestClock(epoch)
        let key = try SigningKey.generate(algorithm: .hs256, keyID: "k1")
        let verifier = TokenVerifier(keyRing: try KeyRing(signingKey: key), options: TokenValidationOptions(clock: clock.function))
        let header = #"{"alg":"HS256","kid":"k1","typ":"JWT"}"#
        let roles = (0..<24).map { "role\($0)" }
        let tokens = try (0..<96).map { index in
            try craft(header: header, payload: #"{"exp":1800000100,"iat":1800000000,"jti":"t\#(index)","roles":["\#(roles[index % roles.count])"]}"#, key: key)
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<8 {
                group.addTask {
                    for round in 0..<200 {
                        let index = (task * 31 + round * 7) % tokens.count
                        let claims = try verifier.verifyWithoutRevocation(tokens[index]).claims
                        guard claims.roles == [roles[index % roles.count]], claims.tokenID == "t\(index)" else {
                            throw TokenError(code: .invalidClaim, message: "token \(index) got \(claims.roles), \(claims.tokenID ?? "-")")
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    @Test("The verifier remembers custom claims of verified tokens only, and gives each token its own")
    func verifierRemembersVerifiedOnly() throws {
        let clock = TestClock(epoch)
        let key = try SigningKey.generate(algorithm: .hs256, keyID: "k1")
        let forger = try SigningKey.generate(algorithm: .hs256, keyID: "k1")
        let verifier = TokenVerifier(keyRing: try KeyRing(signingKey: key), options: TokenValidationOptions(clock: clock.function))
        let header = #"{"alg":"HS256","kid":"k1","typ":"JWT"}"#
        for index in 0..<5 {
            let forged = try craft(header: header, payload: #"{"exp":1800000100,"iat":1800000000,"roles":["r\#(index)"]}"#, key: forger)
            #expect(tokenError(.invalidSignature) { _ = try verifier.verifyWithoutRevocation(forged) })
        }
        #expect(verifier.customClaimsCache.entryCount == 0)
        for round in 0..<3 {
            for role in ["admin", "viewer"] {
                let token = try craft(header: header, payload: #"{"exp":1800000100,"iat":1800000000,"jti":"t\#(round)","roles":["\#(role)"]}"#, key: key)
                let claims = try verifier.verifyWithoutRevocation(token).claims
                #expect(claims.roles == [role])
                #expect(claims.tokenID == "t\(round)")
            }
        }
        #expect((2...6).contains(verifier.customClaimsCache.entryCount))
    }
}
