/// The elliptic curves offered for ECDSA, each paired with its hash as in JWS (RFC 7518 §3.4).
public enum ECCurve: String, Sendable, Hashable, CaseIterable {
    /// NIST P-256 (secp256r1) with SHA-256: ES256.
    case p256 = "P-256"
    /// NIST P-384 (secp384r1) with SHA-384: ES384.
    case p384 = "P-384"

    /// The byte length of a coordinate or scalar: 32 or 48.
    public var coordinateByteCount: Int {
        switch self {
        case .p256: 32
        case .p384: 48
        }
    }

    /// The hash signed messages go through.
    public var hashAlgorithm: HashAlgorithm {
        switch self {
        case .p256: .sha256
        case .p384: .sha384
        }
    }

    /// OpenSSL's group names for the curve (it reports either).
    var openSSLGroupNames: [String] {
        switch self {
        case .p256: ["prime256v1", "P-256", "secp256r1"]
        case .p384: ["secp384r1", "P-384"]
        }
    }
}

/// A curve usable with ``ECDSAPrivateKey``; conformers are ``P256`` and ``P384``.
public protocol ECDSACurve: Sendable {
    /// The curve.
    static var curve: ECCurve { get }
}

/// NIST P-256 with SHA-256 (ES256).
///
/// ```swift
/// let key = try P256.PrivateKey()
/// let signature = try key.signature(for: message)
/// let ok = key.publicKey.isValidSignature(signature, for: message)
/// let jws = signature.rawRepresentation // r ‖ s, 64 bytes
/// ```
public enum P256: ECDSACurve {
    /// ``ECCurve/p256``.
    public static var curve: ECCurve { .p256 }
    /// A P-256 signing key.
    public typealias PrivateKey = ECDSAPrivateKey<P256>
    /// A P-256 verification key.
    public typealias PublicKey = ECDSAPublicKey<P256>
    /// A P-256 ECDSA signature.
    public typealias Signature = ECDSASignature<P256>
}

/// NIST P-384 with SHA-384 (ES384).
public enum P384: ECDSACurve {
    /// ``ECCurve/p384``.
    public static var curve: ECCurve { .p384 }
    /// A P-384 signing key.
    public typealias PrivateKey = ECDSAPrivateKey<P384>
    /// A P-384 verification key.
    public typealias PublicKey = ECDSAPublicKey<P384>
    /// A P-384 ECDSA signature.
    public typealias Signature = ECDSASignature<P384>
}
