import ZeroTrustCrypto

/// A certificate's subject public key: algorithm, size and curve.
public struct PublicKeyInfo: Sendable, Hashable, CustomStringConvertible {
    /// OpenSSL's algorithm name: `RSA`, `RSA-PSS`, `EC`, `ED25519`, `ED448`, `DSA`, …
    public let algorithm: String
    /// Size in bits: the modulus for RSA, the field for EC, 253 for Ed25519.
    public let bitCount: Int
    /// The named curve of an EC key, when it is one this library knows.
    public let curve: EllipticCurve?
    /// OpenSSL's curve name for an EC key (e.g. `prime256v1`, `secp521r1`).
    public let curveName: String?
    /// The SubjectPublicKeyInfo DER.
    public let derRepresentation: [UInt8]

    init(_ info: X509PublicKeyInfo) {
        algorithm = info.algorithm
        bitCount = info.bitCount
        curveName = info.curve
        curve = info.curve.flatMap(EllipticCurve.init(openSSLName:))
        derRepresentation = info.spkiDER
    }

    /// e.g. `EC P-256`, `RSA 2048`, `ED25519`.
    public var description: String {
        switch algorithm {
        case "EC": "EC \(curve?.rawValue ?? curveName ?? "unknown curve")"
        case "RSA", "RSA-PSS", "DSA": "\(algorithm) \(bitCount)"
        default: algorithm
        }
    }
}

/// The elliptic curves certificates may use under a ``VerificationPolicy``.
public enum EllipticCurve: String, Sendable, Hashable, CaseIterable {
    /// NIST P-256 (secp256r1, prime256v1).
    case p256 = "P-256"
    /// NIST P-384 (secp384r1).
    case p384 = "P-384"
    /// NIST P-521 (secp521r1). Not allowed by the default policy.
    case p521 = "P-521"

    init?(openSSLName: String) {
        switch openSSLName {
        case "prime256v1", "P-256", "secp256r1": self = .p256
        case "secp384r1", "P-384": self = .p384
        case "secp521r1", "P-521": self = .p521
        default: return nil
        }
    }
}
