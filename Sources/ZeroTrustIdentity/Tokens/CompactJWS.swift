/// A compact JWS split and decoded, before any trust decision (RFC 7515 §7.1).
struct CompactJWS {
    let header: [(String, JSONValue)]
    let payloadBytes: [UInt8]
    let signature: [UInt8]
    /// Where the signing input (`BASE64URL(header) "." BASE64URL(payload)`) ends in the token.
    let signingInputCount: Int

    /// Splits and decodes `token` (its UTF-8 bytes); `maximumByteCount` is checked first.
    init(_ token: UnsafeBufferPointer<UInt8>, maximumByteCount: Int) throws(TokenError) {
        guard token.count <= maximumByteCount else {
            throw TokenError(code: .tooLarge, message: "token is \(token.count) bytes, the limit is \(maximumByteCount)")
        }
        var firstDot = -1, secondDot = -1
        for index in token.indices where token[index] == UInt8(ascii: ".") {
            if firstDot < 0 {
                firstDot = index
            } else if secondDot < 0 {
                secondDot = index
            } else {
                throw TokenError(code: .malformed, message: "token has more than three segments (JWE and JSON serializations are not accepted)")
            }
        }
        guard secondDot > 0 else {
            throw TokenError(code: .malformed, message: "token must have three dot-separated segments, found \(firstDot < 0 ? 1 : 2)")
        }
        guard firstDot > 0, secondDot + 1 < token.count else {
            throw TokenError(code: .malformed, message: "token has an empty \(firstDot == 0 ? "header" : "signature") segment")
        }
        guard let headerBytes = Base64URL.decode(UnsafeBufferPointer(rebasing: token[..<firstDot])) else {
            throw TokenError(code: .invalidBase64, message: "header segment is not unpadded base64url")
        }
        guard let payloadBytes = Base64URL.decode(UnsafeBufferPointer(rebasing: token[(firstDot + 1)..<secondDot])) else {
            throw TokenError(code: .invalidBase64, message: "payload segment is not unpadded base64url")
        }
        guard let signature = Base64URL.decode(UnsafeBufferPointer(rebasing: token[(secondDot + 1)...])) else {
            throw TokenError(code: .invalidBase64, message: "signature segment is not unpadded base64url")
        }
        self.header = try Self.members(headerBytes, segment: "header")
        self.payloadBytes = payloadBytes
        self.signature = signature
        self.signingInputCount = secondDot
    }

    /// The payload's members (parsed only after the signature verified).
    func payload() throws(TokenError) -> [(String, JSONValue)] {
        try Self.members(payloadBytes, segment: "payload")
    }

    private static func members(_ bytes: [UInt8], segment: String) throws(TokenError) -> [(String, JSONValue)] {
        let parsed: [(String, JSONValue)]?
        do {
            parsed = try bytes.withUnsafeBufferPointer { (buffer) throws(JSONParseError) in
                var parser = StrictJSONParser(buffer)
                return try parser.parseObjectDocument()
            }
        } catch {
            throw TokenError(code: .invalidJSON, message: "\(segment): \(error)")
        }
        guard let parsed else { throw TokenError(code: .invalidJSON, message: "\(segment) is not a JSON object") }
        return parsed
    }
}
