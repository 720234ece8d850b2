/// What a caller presented to authenticate.
public enum Credential: Sendable {
    /// An mTLS client certificate chain: the leaf first, then any intermediates (in any order).
    case clientCertificate([Certificate])
    /// A bearer token (compact JWS) from an `Authorization: Bearer` header.
    case bearerToken(String)
    /// An API key (`ztk_<id>_<secret>`).
    case apiKey(String)
}
