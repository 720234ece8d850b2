public import Foundation

/// A token whose signature and claims have been verified.
public struct VerifiedToken: Sendable {
    /// The protected header.
    public var header: [String: JSONValue] {
        Dictionary(checkedHeader.members, uniquingKeysWith: { first, _ in first })
    }
    let checkedHeader: HeaderCache.Entry
    /// The claims.
    public let claims: TokenClaims
    /// The algorithm that verified it.
    public var algorithm: JWSAlgorithm { checkedHeader.algorithm }
    /// The `kid` of the key that verified it, if the token named one.
    public var keyID: String? { checkedHeader.keyID }
    /// The payload's JSON text, for decoding into your own type (decoded from the token on each
    /// access: verification itself never needs it as one buffer).
    public var payload: [UInt8] {
        var token = token
        return token.withUTF8 { Base64URL.decode(UnsafeBufferPointer(rebasing: $0[payloadRange])) } ?? []
    }
    let token: String
    let payloadRange: Range<Int>

    /// Decodes the payload into a `Decodable` claims type of your own (with `JSONDecoder`; the
    /// registered claims have already been checked). A payload that does not fit `type` is a
    /// ``TokenError/Code/invalidClaim``.
    public func decodeClaims<T: Decodable>(as type: T.Type, decoder: JSONDecoder = JSONDecoder()) throws(TokenError) -> T {
        do {
            return try decoder.decode(type, from: Data(payload))
        } catch {
            throw TokenError(code: .invalidClaim, message: "claims do not decode as \(T.self): \(TokenError.reason(error))")
        }
    }
}
