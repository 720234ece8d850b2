public import Foundation

/// The claims of a token: the registered ones of RFC 7519 §4.1 as typed properties, everything
/// else in ``custom``.
public struct TokenClaims: Sendable, Hashable {
    /// `sub`.
    public var subject: String?
    /// `iss`.
    public var issuer: String?
    /// `aud`, always as an array (a single string in the token is one element).
    public var audience: [String]
    /// `iat`.
    public var issuedAt: Date?
    /// `nbf`.
    public var notBefore: Date?
    /// `exp`.
    public var expiresAt: Date?
    /// `jti`.
    public var tokenID: String?
    /// Every other claim.
    public var custom: [String: JSONValue]

    /// The names RFC 7519 registers, which ``custom`` may not hold.
    public static let registeredNames: Set<String> = Set(RegisteredClaim.inNameOrder.map(\.name))

    /// Claims with the given registered values.
    public init(subject: String? = nil, issuer: String? = nil, audience: [String] = [], issuedAt: Date? = nil,
                notBefore: Date? = nil, expiresAt: Date? = nil, tokenID: String? = nil, custom: [String: JSONValue] = [:]) {
        self.subject = subject
        self.issuer = issuer
        self.audience = audience
        self.issuedAt = issuedAt
        self.notBefore = notBefore
        self.expiresAt = expiresAt
        self.tokenID = tokenID
        self.custom = custom
    }

    /// Empty claims for ``parse(payload:expectedIssuer:expectedAudience:customClaimsCache:)`` to
    /// fill. Copying this costs less than `TokenClaims()`, whose value is built and then copied
    /// (with Swift 6.3: 9 reference counts more per verification).
    static let unfilled = TokenClaims()

    /// The `roles` claim (array of strings), or empty.
    public var roles: [String] { custom["roles"]?.stringArrayValue ?? [] }
    /// The `permissions` claim (array of strings), or empty.
    public var permissions: [String] { custom["permissions"]?.stringArrayValue ?? [] }
    /// The `org` claim.
    public var organization: String? { custom["org"]?.stringValue }
    /// The `amr` claim (RFC 8176 authentication methods), or empty.
    public var authenticationMethods: [String] { custom["amr"]?.stringArrayValue ?? [] }

    /// Parses a decoded payload into these claims, which must be empty, in one strict pass (a
    /// mutating method rather than an initializer: the compiler copied the whole value out of a
    /// throwing initializer on every verification). Registered claims are recognised by their
    /// bytes and read into typed fields, and only the other members become ``JSONValue``s. The
    /// whole payload must be valid JSON first; then the first registered claim of the wrong type
    /// is reported. An `iss` equal to `expectedIssuer`, or an `aud` that is the single string of
    /// `expectedAudience`, reuses those values instead of allocating equal ones.
    ///
    /// With a `customClaimsCache` (only for payloads whose signature verified), the custom members
    /// are looked up there by their exact text and parsed only when it has not seen them. Any
    /// error on that path re-reads the payload without the cache, so errors are always exactly the
    /// strict parser's.
    mutating func parse(payload bytes: UnsafeBufferPointer<UInt8>, expectedIssuer: String? = nil,
                        expectedAudience: [String]? = nil, customClaimsCache: CustomClaimsCache? = nil) throws(TokenError) {
        assert(self == TokenClaims(), "parse(payload:) fills empty claims only")
        var typeError: TokenError?
        if let customClaimsCache, !customClaimsCache.isBypassed() {
            if parseUsingCache(bytes, customClaimsCache, typeError: &typeError, expectedIssuer: expectedIssuer, expectedAudience: expectedAudience) {
                if let typeError { throw typeError }
                return
            }
            // Given up (an error, or too many custom members): a miss, then the strict path.
            customClaimsCache.record(found: false)
        }
        self = TokenClaims()
        typeError = nil
        var parser = StrictJSONParser(bytes)
        guard parser.atObject() else { throw TokenError(code: .invalidJSON, message: "payload is not a JSON object") }
        var noCustomMembers = CustomMemberSpans()
        do {
            try readMembers(&parser, typeError: &typeError, expectedIssuer: expectedIssuer, expectedAudience: expectedAudience,
                            customMembers: &noCustomMembers, payload: bytes)
            try parser.expectEnd()
        } catch {
            throw TokenError(code: .invalidJSON, message: "payload: \(error)")
        }
        if let typeError { throw typeError }
    }

    /// The cached path of ``parse(payload:expectedIssuer:expectedAudience:customClaimsCache:)``:
    /// false if it gave up (on any error, or too many custom members), leaving these claims for
    /// the strict path to start over.
    private mutating func parseUsingCache(_ bytes: UnsafeBufferPointer<UInt8>, _ cache: CustomClaimsCache, typeError: inout TokenError?,
                                          expectedIssuer: String?, expectedAudience: [String]?) -> Bool {
        withUnsafeTemporaryAllocation(of: Range<Int>.self, capacity: CustomClaimsCache.maximumMemberCount) { storage in
            var parser = StrictJSONParser(bytes)
            var members = CustomMemberSpans(storage: storage, cache: cache)
            guard parser.atObject() else { return false }
            do {
                try readMembers(&parser, typeError: &typeError, expectedIssuer: expectedIssuer,
                                expectedAudience: expectedAudience, customMembers: &members, payload: bytes)
                try parser.expectEnd()
            } catch {
                return false
            }
            guard members.count > 0 else { return true }
            let cached = members.matchedClaims ?? (members.mayBeRemembered ? cache.claims(for: members.spans, in: bytes) : nil)
            cache.record(found: cached != nil)
            if let cached {
                custom = cached
                return true
            }
            // Not seen before: parse each skipped member strictly, and check that it ends where the
            // skip ended (else the skip misjudged invalid JSON, which the strict path reports).
            var memberParser = StrictJSONParser(bytes)
            for span in members.spans {
                guard let member = try? memberParser.parseMember(at: span.lowerBound), member.end == span.upperBound,
                      custom.updateValue(member.value, forKey: member.name) == nil else { return false }
            }
            cache.remember(custom, for: members.spans, in: bytes)
            return true
        }
    }

    /// Reads the members of the payload object. With `customMembers`, a custom member is not
    /// parsed but skipped, and its span (from its name to the end of its value) recorded there;
    /// more custom members than it holds is an error.
    private mutating func readMembers(_ parser: inout StrictJSONParser, typeError: inout TokenError?,
                                      expectedIssuer: String?, expectedAudience: [String]?,
                                      customMembers: inout CustomMemberSpans, payload: UnsafeBufferPointer<UInt8>) throws(JSONParseError) {
        var seen: UInt8 = 0  // one bit per RegisteredClaim
        var first = true
        try parser.beginObject()
        while let (name, nameOffset) = try parser.nextMember(first: first) {
            first = false
            guard let claim = RegisteredClaim(name) else {
                if customMembers.isRecording {
                    guard customMembers.skipMember(at: nameOffset, in: payload, parser: &parser) else {
                        throw JSONParseError(offset: nameOffset, reason: "custom member not skipped")
                    }
                    continue
                }
                let key = name.string
                guard custom.updateValue(try parser.parseValue(), forKey: key) == nil else {
                    throw JSONParseError(offset: nameOffset, reason: "duplicate member name \"\(key.prefix(64))\"")
                }
                continue
            }
            let bit = UInt8(1) << claim.rawValue
            guard seen & bit == 0 else {
                throw JSONParseError(offset: nameOffset, reason: "duplicate member name \"\(claim.name)\"")
            }
            seen |= bit
            if claim == .issuer, let expectedIssuer, parser.consumeString(equalTo: expectedIssuer) {
                issuer = expectedIssuer
                continue
            }
            if claim == .audience, let expectedAudience, expectedAudience.count == 1,
               parser.consumeString(equalTo: expectedAudience[0]) {
                audience = expectedAudience
                continue
            }
            if claim.isString, let text = try parser.parseStringIfPresent() {
                // The common case, without a `JSONValue` to wrap and unwrap.
                set(claim, text)
                continue
            }
            if claim.isTime, let seconds = parser.parsePlainIntegerIfPresent() {
                set(claim, Date(timeIntervalSince1970: Double(seconds)))
                continue
            }
            let value = try parser.parseValue()
            do throws(TokenError) {
                try set(claim, to: value)
            } catch {
                if typeError == nil { typeError = error }
            }
        }
    }

    private mutating func set(_ claim: RegisteredClaim, to value: JSONValue) throws(TokenError) {
        if claim.isString {
            set(claim, try Self.string(value, claim.name))
        } else if claim.isTime {
            set(claim, try Self.date(value, claim.name))
        } else if case .string(let single) = value {
            audience = [single]
        } else if let many = value.stringArrayValue {
            audience = many
        } else {
            throw TokenError(code: .invalidClaim, message: "\"aud\" must be a string or an array of strings")
        }
    }

    /// Sets one of the time claims (`iat`, `nbf`, `exp`).
    private mutating func set(_ claim: RegisteredClaim, _ date: Date) {
        switch claim {
        case .issuedAt: issuedAt = date
        case .notBefore: notBefore = date
        case .expiresAt: expiresAt = date
        default: assertionFailure("\(claim.name) is not a time claim")
        }
    }

    /// Sets one of the string claims (`sub`, `iss`, `jti`).
    private mutating func set(_ claim: RegisteredClaim, _ text: String) {
        switch claim {
        case .subject: subject = text
        case .issuer: issuer = text
        case .tokenID: tokenID = text
        default: assertionFailure("\(claim.name) is not a string claim")
        }
    }

    private static func string(_ value: JSONValue, _ name: String) throws(TokenError) -> String {
        guard case .string(let text) = value else { throw TokenError(code: .invalidClaim, message: "\"\(name)\" must be a string") }
        return text
    }

    private static func date(_ value: JSONValue, _ name: String) throws(TokenError) -> Date {
        guard let seconds = value.numberValue else {
            throw TokenError(code: .invalidClaim, message: "\"\(name)\" must be a NumericDate (a JSON number)")
        }
        return Date(timeIntervalSince1970: seconds)
    }

    /// Writes the payload object these claims encode to: compact JSON with every member (registered
    /// and custom merged) sorted by name, so equal claims always encode the same way. Custom claims
    /// may not use registered names.
    ///
    /// `sortedCustom`, when given, replaces ``custom``: the same members as pairs already in name
    /// order (checked), for callers that never need the dictionary.
    func writePayload(into output: inout ByteWriter, sortedCustom: [(key: String, value: JSONValue)]? = nil) throws(TokenError) {
        let members = sortedCustom ?? custom.sorted { $0.key < $1.key }
        // Members are read in place through the buffer, by index: binding them, or iterating
        // with closures, copied each pair (its name and value counted again) several times over.
        try members.withUnsafeBufferPointer { (members) throws(TokenError) in
            for index in members.indices {
                if sortedCustom != nil, index > 0, members[index - 1].key >= members[index].key {
                    throw TokenError(code: .issuanceRefused, message: "custom claims must be in name order, each name once")
                }
                if RegisteredClaim(name: members[index].key) != nil {
                    throw TokenError(code: .issuanceRefused,
                                     message: "custom claims may not set the registered claim \"\(members[index].key)\"")
                }
            }
            var next = 0
            var first = true
            output.append(UInt8(ascii: "{"))
            for claim in RegisteredClaim.inNameOrder where has(claim) {
                let name = claim.name
                while next < members.count, members[next].key < name {
                    Self.writeMember(members[next].key, members[next].value, first: &first, into: &output)
                    next += 1
                }
                Self.writeName(name, first: &first, into: &output)
                try writeValue(of: claim, into: &output)
            }
            while next < members.count {
                Self.writeMember(members[next].key, members[next].value, first: &first, into: &output)
                next += 1
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    private static func writeName(_ name: String, first: inout Bool, into output: inout ByteWriter) {
        if !first { output.append(UInt8(ascii: ",")) }
        first = false
        JSONWriter.writeString(name, into: &output)
        output.append(UInt8(ascii: ":"))
    }

    private static func writeMember(_ name: String, _ value: JSONValue, first: inout Bool, into output: inout ByteWriter) {
        writeName(name, first: &first, into: &output)
        JSONWriter.write(value, into: &output)
    }

    /// Whether the claim named `name` is present, registered or custom.
    func has(_ name: String) -> Bool {
        RegisteredClaim(name: name).map(has) ?? (custom[name] != nil)
    }

    private func has(_ claim: RegisteredClaim) -> Bool {
        switch claim {
        case .subject: subject != nil
        case .issuer: issuer != nil
        case .tokenID: tokenID != nil
        case .issuedAt: issuedAt != nil
        case .notBefore: notBefore != nil
        case .expiresAt: expiresAt != nil
        case .audience: !audience.isEmpty
        }
    }

    /// Writes a registered claim's value; only called for claims that are present.
    private func writeValue(of claim: RegisteredClaim, into output: inout ByteWriter) throws(TokenError) {
        switch claim {
        case .subject: JSONWriter.writeString(subject ?? "", into: &output)
        case .issuer: JSONWriter.writeString(issuer ?? "", into: &output)
        case .tokenID: JSONWriter.writeString(tokenID ?? "", into: &output)
        case .issuedAt: try Self.writeNumericDate(issuedAt, of: claim, into: &output)
        case .notBefore: try Self.writeNumericDate(notBefore, of: claim, into: &output)
        case .expiresAt: try Self.writeNumericDate(expiresAt, of: claim, into: &output)
        case .audience:
            if audience.count == 1 {
                JSONWriter.writeString(audience[0], into: &output)
            } else {
                JSONWriter.write(.array(audience.map(JSONValue.string)), into: &output)
            }
        }
    }

    /// 2^53 seconds: the largest integer a JSON reader with IEEE doubles holds exactly.
    private static let largestNumericDate: TimeInterval = 9_007_199_254_740_992

    /// Writes a time claim as a NumericDate, a JSON integer of whole seconds: refused when no
    /// reader could hold it exactly (and `Int64(_:)` would trap on it).
    private static func writeNumericDate(_ date: Date?, of claim: RegisteredClaim, into output: inout ByteWriter) throws(TokenError) {
        guard let seconds = date?.timeIntervalSince1970 else { return }
        guard abs(seconds) <= largestNumericDate else {
            throw TokenError(code: .issuanceRefused, message: "\"\(claim.name)\" is not a NumericDate that can be written exactly")
        }
        JSONWriter.writeInteger(Int64(seconds.rounded(.down)), into: &output)
    }
}
