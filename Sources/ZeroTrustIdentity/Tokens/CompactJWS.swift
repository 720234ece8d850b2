/// A compact JWS split into its segments (RFC 7515 §7.1), before any trust decision. Segments are
/// decoded on demand; the header and signature only into temporary buffers, so verification
/// allocates just the payload it returns.
struct CompactJWS {
    let token: UnsafeBufferPointer<UInt8>
    let header: Range<Int>
    let payload: Range<Int>
    let signature: Range<Int>

    /// Splits `token` (its UTF-8 bytes); `maximumByteCount` is checked first.
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
        self.token = token
        header = 0..<firstDot
        payload = (firstDot + 1)..<secondDot
        signature = (secondDot + 1)..<token.count
    }

    /// `BASE64URL(header) "." BASE64URL(payload)`: the bytes the signature covers.
    var signingInput: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: token[..<payload.upperBound]))
    }

    /// Runs `body` with a segment decoded into a temporary buffer.
    func withDecoded<R>(_ segment: Range<Int>, name: String,
                        _ body: (UnsafeBufferPointer<UInt8>) throws(TokenError) -> R) throws(TokenError) -> R {
        let encoded = UnsafeBufferPointer(rebasing: token[segment])
        guard let count = Base64URL.decodedCount(encoded.count) else {
            throw TokenError(code: .invalidBase64, message: "\(name) segment is not unpadded base64url")
        }
        let result: Result<R, TokenError> = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: count) { buffer in
            guard Base64URL.decode(encoded, into: buffer) else {
                return .failure(TokenError(code: .invalidBase64, message: "\(name) segment is not unpadded base64url"))
            }
            return Result { () throws(TokenError) in try body(UnsafeBufferPointer(buffer)) }
        }
        return try result.get()
    }

    /// The decoded payload, kept by the verified token.
    func decodedPayload() throws(TokenError) -> [UInt8] {
        guard let bytes = Base64URL.decode(UnsafeBufferPointer(rebasing: token[payload])) else {
            throw TokenError(code: .invalidBase64, message: "payload segment is not unpadded base64url")
        }
        return bytes
    }

    /// The members of a JSON object segment.
    static func members(_ bytes: UnsafeBufferPointer<UInt8>, segment: String) throws(TokenError) -> [(String, JSONValue)] {
        let parsed: [(String, JSONValue)]?
        do {
            var parser = StrictJSONParser(bytes)
            parsed = try parser.parseObjectDocument()
        } catch {
            throw TokenError(code: .invalidJSON, message: "\(segment): \(error)")
        }
        guard let parsed else { throw TokenError(code: .invalidJSON, message: "\(segment) is not a JSON object") }
        return parsed
    }
}
