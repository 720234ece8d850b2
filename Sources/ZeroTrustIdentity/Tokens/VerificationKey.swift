public import ZeroTrustCrypto
internal import ZeroTrustCPULocal

/// A key that verifies token signatures of exactly one ``JWSAlgorithm``.
///
/// For HMAC algorithms this is the shared secret; keep it as secret as the signing key.
public struct VerificationKey: Sendable {
    enum Material: Sendable {
        case hmac(HMACKey)
        case p256(P256.PublicKey)
        case p384(P384.PublicKey)
        case ed25519(Ed25519.PublicKey)
        case rsa(RSA.PublicKey)
    }

    /// The fields, in one object: a key is copied out of its ``KeyRing`` on every verification,
    /// and a copy then counts one reference instead of one per field.
    private final class Storage: Sendable {
        let algorithm: JWSAlgorithm
        let keyID: String?
        let material: Material

        init(algorithm: JWSAlgorithm, keyID: String?, material: Material) {
            self.algorithm = algorithm
            self.keyID = keyID
            self.material = material
        }
    }

    private let storage: Storage

    /// The one algorithm this key verifies.
    public var algorithm: JWSAlgorithm { storage.algorithm }
    /// The key identifier a token's `kid` must name to select this key.
    public var keyID: String? { storage.keyID }
    var material: Material { storage.material }

    init(algorithm: JWSAlgorithm, keyID: String?, material: Material) {
        storage = Storage(algorithm: algorithm, keyID: keyID, material: material)
    }

    /// This key with no reference-counted part shared with the original (one CPU's copy in a
    /// ``KeyRing``). HMAC keys get a context of their own; the other kinds verify slowly enough
    /// that sharing their key objects costs nothing measurable.
    func replica() throws(TokenError) -> VerificationKey {
        guard case .hmac(let key) = material else {
            return VerificationKey(algorithm: algorithm, keyID: keyID?.unsharedCopy, material: material)
        }
        do {
            return VerificationKey(algorithm: algorithm, keyID: keyID?.unsharedCopy, material: .hmac(try key.replica()))
        } catch {
            throw TokenError(code: .invalidKey, message: "cannot prepare the HMAC key: \(error)")
        }
    }

    /// An HMAC secret for HS256/384/512 (at least as long as the hash output).
    public init(hmac secret: SymmetricKey, algorithm: JWSAlgorithm, keyID: String?) throws(TokenError) {
        self = try SigningKey(hmac: secret, algorithm: algorithm, keyID: keyID).verificationKey
    }

    /// A P-256 public key for ES256.
    public init(p256 key: P256.PublicKey, keyID: String?) {
        self.init(algorithm: .es256, keyID: keyID, material: .p256(key))
    }

    /// A P-384 public key for ES384.
    public init(p384 key: P384.PublicKey, keyID: String?) {
        self.init(algorithm: .es384, keyID: keyID, material: .p384(key))
    }

    /// An Ed25519 public key for EdDSA.
    public init(ed25519 key: Ed25519.PublicKey, keyID: String?) {
        self.init(algorithm: .edDSA, keyID: keyID, material: .ed25519(key))
    }

    /// An RSA public key for one of RS256/384/512, PS256/384/512.
    public init(rsa key: RSA.PublicKey, algorithm: JWSAlgorithm, keyID: String?) throws(TokenError) {
        guard algorithm.rsaPadding != nil else {
            throw TokenError(code: .invalidKey, message: "\(algorithm.rawValue) is not an RSA algorithm")
        }
        self.init(algorithm: algorithm, keyID: keyID, material: .rsa(key))
    }

    /// Whether `signature` is this key's JWS signature over `signingInput`.
    public func isValidSignature(_ signature: [UInt8], for signingInput: [UInt8]) -> Bool {
        signature.withUnsafeBytes { s in signingInput.withUnsafeBytes { m in isValidSignature(s, for: m) } }
    }

    /// Raw-buffer form, used on the verification hot path to avoid copies.
    func isValidSignature(_ signature: UnsafeRawBufferPointer, for signingInput: UnsafeRawBufferPointer) -> Bool {
        switch material {
        case .hmac(let key):
            return (try? key.isValidAuthenticationCode(signature, authenticating: signingInput)) ?? false
        case .p256(let key):
            guard let parsed = try? P256.Signature(rawRepresentation: signature) else { return false }
            return key.isValidSignature(parsed, for: signingInput)
        case .p384(let key):
            guard let parsed = try? P384.Signature(rawRepresentation: signature) else { return false }
            return key.isValidSignature(parsed, for: signingInput)
        case .ed25519(let key):
            return key.isValidSignature(signature, for: signingInput)
        case .rsa(let key):
            guard let padding = algorithm.rsaPadding else { return false }
            return key.isValidSignature(signature, for: signingInput, padding: padding, algorithm: algorithm.hashAlgorithm)
        }
    }
}
