/// A compact JWS split and decoded, before any trust decision (RFC 7515 §7.1).
struct CompactJWS {
    let header: [String: JSONValue]
    let payloadBytes: [UInt8]
    /// `BASE64URL(header) "." BASE64URL(payload)`, the bytes the signature covers.
    let signingInput: [UInt8]
    let signature: [UInt8]

    /// Splits and decodes `token`; `maximumByteCount` is checked before anything else.
    init(_ token: String, maximumByteCount: Int) throws(TokenError) {
        let utf8 = token.utf8
        guard utf8.count <= maximumByteCount else {
            throw TokenError(code: .tooLarge, message: "token is \(utf8.count) bytes, the limit is \(maximumByteCount)")
        }
        let bytes = Array(utf8)
        var dots: [Int] = []
        for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: ".") {
            dots.append(index)
            if dots.count > 2 { break }
        }
        guard dots.count == 2 else {
            throw TokenError(code: .malformed,
                             message: dots.count > 2 ? "token has more than three segments (JWE and JSON serializations are not accepted)"
                                                     : "token must have three dot-separated segments, found \(dots.count + 1)")
        }
        let headerSegment = bytes[0..<dots[0]]
        let payloadSegment = bytes[(dots[0] + 1)..<dots[1]]
        let signatureSegment = bytes[(dots[1] + 1)...]
        guard !headerSegment.isEmpty, !signatureSegment.isEmpty else {
            throw TokenError(code: .malformed, message: "token has an empty \(headerSegment.isEmpty ? "header" : "signature") segment")
        }
        guard let headerBytes = Base64URL.decode(headerSegment) else {
            throw TokenError(code: .invalidBase64, message: "header segment is not unpadded base64url")
        }
        guard let payloadBytes = Base64URL.decode(payloadSegment) else {
            throw TokenError(code: .invalidBase64, message: "payload segment is not unpadded base64url")
        }
        guard let signature = Base64URL.decode(signatureSegment) else {
            throw TokenError(code: .invalidBase64, message: "signature segment is not unpadded base64url")
        }
        self.header = try Self.object(headerBytes, segment: "header")
        self.payloadBytes = payloadBytes
        self.signingInput = Array(bytes[0..<dots[1]])
        self.signature = signature
    }

    /// The payload as a JSON object (parsed only after the signature verified).
    func payload() throws(TokenError) -> [String: JSONValue] {
        try Self.object(payloadBytes, segment: "payload")
    }

    private static func object(_ bytes: [UInt8], segment: String) throws(TokenError) -> [String: JSONValue] {
        let value: JSONValue
        do { value = try JSONValue(parsing: bytes) } catch let error as JSONParseError {
            throw TokenError(code: .invalidJSON, message: "\(segment): \(error)")
        } catch {
            throw TokenError(code: .invalidJSON, message: "\(segment): \(error)")
        }
        guard let object = value.objectValue else {
            throw TokenError(code: .invalidJSON, message: "\(segment) is not a JSON object")
        }
        return object
    }
}
