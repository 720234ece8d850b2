internal import Foundation

/// A compact JWS split into its segments (RFC 7515 §7.1), before any trust decision. Segments are
/// decoded on demand into temporary buffers.
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
        // memchr: the dots are searched on every verification, and it scans a word at a time.
        func dot(after start: Int) -> Int {
            guard start < token.count, let base = token.baseAddress,
                  let found = memchr(base + start, Int32(UInt8(ascii: ".")), token.count - start) else { return -1 }
            return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
        }
        let firstDot = dot(after: 0)
        let secondDot = firstDot < 0 ? -1 : dot(after: firstDot + 1)
        if secondDot >= 0, dot(after: secondDot + 1) >= 0 {
            throw TokenError(code: .malformed, message: "token has more than three segments (JWE and JSON serializations are not accepted)")
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
        // Typed throws straight through (no `Result`): the body's value is moved out, not copied.
        return try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: count) { (buffer) throws(TokenError) in
            guard Base64URL.decode(encoded, into: buffer) else {
                throw TokenError(code: .invalidBase64, message: "\(name) segment is not unpadded base64url")
            }
            return try body(UnsafeBufferPointer(buffer))
        }
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
