public import Foundation

/// What ``ChainVerifier`` requires of a chain beyond a valid path to a trust anchor.
///
/// The defaults are strict: client authentication, at most 4 intermediates, RSA keys of at
/// least 2048 bits, EC keys on P-256 or P-384, Ed25519, and only SHA-2/EdDSA signatures.
///
/// ```swift
/// var policy = VerificationPolicy()
/// policy.purpose = .serverAuth(expectedName: "api.corp.example")
/// policy.crls = [crl]
/// ```
public struct VerificationPolicy: Sendable {
    /// What the leaf certificate must be good for.
    public enum Purpose: Sendable, Hashable {
        /// TLS client authentication (mTLS callers): the leaf's EKU, when present, must list clientAuth.
        case clientAuth
        /// TLS server authentication: EKU serverAuth, and when `expectedName` is given the leaf's
        /// subjectAltName must carry it as a dNSName (wildcards only as a whole left-most label) or,
        /// for an IP address, as an iPAddress. The subject CN is never consulted (RFC 9525 §6.3).
        case serverAuth(expectedName: String?)
    }

    /// The time at which every certificate and CRL must be valid; nil means the current time
    /// when ``ChainVerifier/verify(_:intermediates:)`` runs. Validity includes both ends.
    public var verificationTime: Date?
    /// The leaf's purpose. Default ``Purpose/clientAuth``.
    public var purpose: Purpose
    /// The largest number of intermediate CA certificates between the leaf and the trust anchor
    /// (as `openssl verify -verify_depth`). Default 4.
    public var maximumDepth: Int
    /// CRLs to check. When non-empty, every certificate of the chain below the anchor must be
    /// covered by a current CRL from its issuer, or verification fails with
    /// ``CertificateError/Code/revocationUnknown``.
    public var crls: [CertificateRevocationList]
    /// Signature algorithms accepted on every certificate of the chain.
    public var allowedSignatureAlgorithms: Set<SignatureAlgorithm>
    /// The smallest RSA modulus accepted, in bits. Default 2048; lower values are raised to 2048.
    public var minimumRSAKeySize: Int
    /// EC curves accepted. Default P-256 and P-384.
    public var allowedCurves: Set<EllipticCurve>
    /// Whether Ed25519 keys are accepted. Default true.
    public var allowsEd25519: Bool

    /// The strict defaults described above.
    public init(verificationTime: Date? = nil, purpose: Purpose = .clientAuth, maximumDepth: Int = 4,
                crls: [CertificateRevocationList] = [],
                allowedSignatureAlgorithms: Set<SignatureAlgorithm> = SignatureAlgorithm.strongAlgorithms,
                minimumRSAKeySize: Int = 2048, allowedCurves: Set<EllipticCurve> = [.p256, .p384],
                allowsEd25519: Bool = true) {
        self.verificationTime = verificationTime
        self.purpose = purpose
        self.maximumDepth = maximumDepth
        self.crls = crls
        self.allowedSignatureAlgorithms = allowedSignatureAlgorithms
        self.minimumRSAKeySize = minimumRSAKeySize
        self.allowedCurves = allowedCurves
        self.allowsEd25519 = allowsEd25519
    }
}
