public import ZeroTrustCrypto

/// The JWS algorithms ZeroTrustKit signs and verifies (RFC 7518 §3, RFC 8037 §3.1).
///
/// `none` does not exist here: there is no way to ask for an unsigned token.
public enum JWSAlgorithm: String, Sendable, Hashable, CaseIterable, Codable {
    /// HMAC with SHA-256.
    case hs256 = "HS256"
    /// HMAC with SHA-384.
    case hs384 = "HS384"
    /// HMAC with SHA-512.
    case hs512 = "HS512"
    /// ECDSA with P-256 and SHA-256.
    case es256 = "ES256"
    /// ECDSA with P-384 and SHA-384.
    case es384 = "ES384"
    /// Ed25519 (RFC 8037).
    case edDSA = "EdDSA"
    /// RSASSA-PKCS1-v1_5 with SHA-256.
    case rs256 = "RS256"
    /// RSASSA-PKCS1-v1_5 with SHA-384.
    case rs384 = "RS384"
    /// RSASSA-PKCS1-v1_5 with SHA-512.
    case rs512 = "RS512"
    /// RSASSA-PSS with SHA-256, MGF1-SHA-256, 32-byte salt.
    case ps256 = "PS256"
    /// RSASSA-PSS with SHA-384, MGF1-SHA-384, 48-byte salt.
    case ps384 = "PS384"
    /// RSASSA-PSS with SHA-512, MGF1-SHA-512, 64-byte salt.
    case ps512 = "PS512"

    /// The hash the algorithm uses (SHA-512 inside Ed25519 is not selectable and reported as such).
    public var hashAlgorithm: HashAlgorithm {
        switch self {
        case .hs256, .es256, .rs256, .ps256: .sha256
        case .hs384, .es384, .rs384, .ps384: .sha384
        case .hs512, .edDSA, .rs512, .ps512: .sha512
        }
    }

    /// Whether the algorithm uses a shared secret (HMAC) rather than a key pair.
    public var isSymmetric: Bool { self == .hs256 || self == .hs384 || self == .hs512 }

    /// The RSA padding, for RS* and PS* algorithms.
    var rsaPadding: RSA.SignaturePadding? {
        switch self {
        case .rs256, .rs384, .rs512: .pkcs1v15
        case .ps256, .ps384, .ps512: .pss
        default: nil
        }
    }
}
