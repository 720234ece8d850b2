import ZeroTrustCrypto

/// The algorithm a certificate or CRL is signed with.
public enum SignatureAlgorithm: Sendable, Hashable, CustomStringConvertible {
    /// ECDSA with SHA-256.
    case ecdsaWithSHA256
    /// ECDSA with SHA-384.
    case ecdsaWithSHA384
    /// ECDSA with SHA-512.
    case ecdsaWithSHA512
    /// Ed25519 (RFC 8410).
    case ed25519
    /// RSASSA-PKCS1-v1_5 with SHA-256.
    case rsaPKCS1WithSHA256
    /// RSASSA-PKCS1-v1_5 with SHA-384.
    case rsaPKCS1WithSHA384
    /// RSASSA-PKCS1-v1_5 with SHA-512.
    case rsaPKCS1WithSHA512
    /// RSASSA-PSS with SHA-256.
    case rsaPSSWithSHA256
    /// RSASSA-PSS with SHA-384.
    case rsaPSSWithSHA384
    /// RSASSA-PSS with SHA-512.
    case rsaPSSWithSHA512
    /// Anything else (SHA-1, MD5, DSA, Ed448, …), by OpenSSL's long name.
    case other(String)

    /// The algorithms ``VerificationPolicy`` allows by default: every named case (no SHA-1, no MD5).
    public static let strongAlgorithms: Set<SignatureAlgorithm> = [
        .ecdsaWithSHA256, .ecdsaWithSHA384, .ecdsaWithSHA512, .ed25519,
        .rsaPKCS1WithSHA256, .rsaPKCS1WithSHA384, .rsaPKCS1WithSHA512,
        .rsaPSSWithSHA256, .rsaPSSWithSHA384, .rsaPSSWithSHA512,
    ]

    init(_ scheme: X509SignatureScheme) {
        switch scheme {
        case .ecdsaSHA256: self = .ecdsaWithSHA256
        case .ecdsaSHA384: self = .ecdsaWithSHA384
        case .ecdsaSHA512: self = .ecdsaWithSHA512
        case .ed25519: self = .ed25519
        case .rsaPKCS1SHA256: self = .rsaPKCS1WithSHA256
        case .rsaPKCS1SHA384: self = .rsaPKCS1WithSHA384
        case .rsaPKCS1SHA512: self = .rsaPKCS1WithSHA512
        case .rsaPSSSHA256: self = .rsaPSSWithSHA256
        case .rsaPSSSHA384: self = .rsaPSSWithSHA384
        case .rsaPSSSHA512: self = .rsaPSSWithSHA512
        case .other(let name): self = .other(name)
        }
    }

    /// A stable name, e.g. `ecdsa-with-SHA256`, `ED25519`, `rsassaPss-SHA256`.
    public var description: String {
        switch self {
        case .ecdsaWithSHA256: "ecdsa-with-SHA256"
        case .ecdsaWithSHA384: "ecdsa-with-SHA384"
        case .ecdsaWithSHA512: "ecdsa-with-SHA512"
        case .ed25519: "ED25519"
        case .rsaPKCS1WithSHA256: "sha256WithRSAEncryption"
        case .rsaPKCS1WithSHA384: "sha384WithRSAEncryption"
        case .rsaPKCS1WithSHA512: "sha512WithRSAEncryption"
        case .rsaPSSWithSHA256: "rsassaPss-SHA256"
        case .rsaPSSWithSHA384: "rsassaPss-SHA384"
        case .rsaPSSWithSHA512: "rsassaPss-SHA512"
        case .other(let name): name
        }
    }
}
