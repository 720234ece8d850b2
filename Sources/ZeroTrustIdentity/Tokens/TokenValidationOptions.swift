public import Foundation

/// What a ``TokenVerifier`` checks beyond the signature, following RFC 8725 (JWT best current
/// practice).
public struct TokenValidationOptions: Sendable {
    /// The required `iss`, or nil to accept any.
    public var issuer: String?
    /// An audience that must appear in `aud`, or nil to accept any (RFC 8725 §3.9 recommends setting it).
    public var audience: String?
    /// Tolerance for clock skew when checking `exp`, `nbf` and `iat`, in seconds. Default 30. A
    /// verifier treats a leeway that is not finite as 0.
    public var leeway: TimeInterval
    /// The longest accepted `exp − iat`, in seconds, or nil for no limit. Default 3600. When set,
    /// `iat` is required.
    public var maximumLifetime: TimeInterval?
    /// Claims that must be present in addition to `exp`, which is always required.
    public var requiredClaims: Set<String>
    /// The largest token accepted, in bytes, checked before any parsing. Default 8 KiB.
    public var maximumTokenByteCount: Int
    /// Accepted `typ` header values (RFC 8725 §3.11), compared case-insensitively. A token
    /// without `typ` is accepted only when ``allowsMissingType`` is true.
    public var acceptedTypes: Set<String>
    /// Whether a token without `typ` is accepted. Default true.
    public var allowsMissingType: Bool
    /// The current time. Injected so that tests and replays need no real clock.
    public var clock: @Sendable () -> Date

    /// Options with the defaults above.
    public init(issuer: String? = nil, audience: String? = nil, leeway: TimeInterval = 30,
                maximumLifetime: TimeInterval? = 3600, requiredClaims: Set<String> = [],
                maximumTokenByteCount: Int = 8192, acceptedTypes: Set<String> = ["JWT", "at+jwt"],
                allowsMissingType: Bool = true, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.issuer = issuer
        self.audience = audience
        self.leeway = leeway
        self.maximumLifetime = maximumLifetime
        self.requiredClaims = requiredClaims
        self.maximumTokenByteCount = maximumTokenByteCount
        self.acceptedTypes = acceptedTypes
        self.allowsMissingType = allowsMissingType
        self.clock = clock
    }
}
