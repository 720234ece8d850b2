public import ZeroTrustCrypto
internal import ZeroTrustCPULocal

/// A private or secret key that signs tokens with exactly one ``JWSAlgorithm``.
///
/// Weak keys are refused when created: HMAC secrets shorter than the hash output (RFC 7518 §3.2:
/// 32, 48 or 64 bytes) and RSA keys below 2048 bits.
///
/// ```swift
/// let key = try SigningKey.generate(algorithm: .es256, keyID: "2026-11")
/// ```
public struct SigningKey: Sendable {
    enum Material: Sendable {
        case hmac(SymmetricKey, HMACKey)
        case p256(P256.PrivateKey)
        case p384(P384.PrivateKey)
        case ed25519(Ed25519.PrivateKey)
        case rsa(RSA.PrivateKey)
    }

    /// The one algorithm this key signs with.
    public let algorithm: JWSAlgorithm
    /// The key identifier written as the token header's `kid`.
    public let keyID: String?
    let material: Material

    /// An HMAC key for HS256, HS384 or HS512.
    public init(hmac secret: SymmetricKey, algorithm: JWSAlgorithm, keyID: String?) throws(TokenError) {
        guard algorithm.isSymmetric else {
            throw TokenError(code: .invalidKey, message: "\(algorithm.rawValue) is not an HMAC algorithm")
        }
        let minimum = algorithm.hashAlgorithm.digestByteCount
        guard secret.byteCount >= minimum else {
            throw TokenError(code: .invalidKey,
                             message: "\(algorithm.rawValue) needs a secret of at least \(minimum) bytes (RFC 7518 §3.2), got \(secret.byteCount)")
        }
        do {
            self.material = .hmac(secret, try HMACKey(secret, algorithm: algorithm.hashAlgorithm))
        } catch {
            throw TokenError(code: .invalidKey, message: "cannot prepare the HMAC key: \(error)")
        }
        self.algorithm = algorithm
        self.keyID = keyID
    }

    /// A P-256 key for ES256.
    public init(p256 key: P256.PrivateKey, keyID: String?) {
        self.init(algorithm: .es256, keyID: keyID, material: .p256(key))
    }

    /// A P-384 key for ES384.
    public init(p384 key: P384.PrivateKey, keyID: String?) {
        self.init(algorithm: .es384, keyID: keyID, material: .p384(key))
    }

    /// An Ed25519 key for EdDSA.
    public init(ed25519 key: Ed25519.PrivateKey, keyID: String?) {
        self.init(algorithm: .edDSA, keyID: keyID, material: .ed25519(key))
    }

    /// An RSA key (at least 2048 bits, which `RSA` in ZeroTrustCrypto guarantees) for one of RS256/384/512, PS256/384/512.
    public init(rsa key: RSA.PrivateKey, algorithm: JWSAlgorithm, keyID: String?) throws(TokenError) {
        guard algorithm.rsaPadding != nil else {
            throw TokenError(code: .invalidKey, message: "\(algorithm.rawValue) is not an RSA algorithm")
        }
        self.init(algorithm: algorithm, keyID: keyID, material: .rsa(key))
    }

    init(algorithm: JWSAlgorithm, keyID: String?, material: Material) {
        self.algorithm = algorithm
        self.keyID = keyID
        self.material = material
    }

    /// This key with no reference-counted part shared with the original (one CPU's copy in a
    /// ``KeyRing``): an HMAC secret is copied into secure memory of its own and prepared again.
    func replica() throws(TokenError) -> SigningKey {
        guard case .hmac(let secret, let prepared) = material else {
            return SigningKey(algorithm: algorithm, keyID: keyID?.unsharedCopy, material: material)
        }
        do {
            let copy = secret.withUnsafeBytes { SymmetricKey(data: $0) }
            return SigningKey(algorithm: algorithm, keyID: keyID?.unsharedCopy, material: .hmac(copy, try prepared.replica()))
        } catch {
            throw TokenError(code: .invalidKey, message: "cannot prepare the HMAC key: \(error)")
        }
    }

    /// A new random key for `algorithm` (HMAC secrets as long as the hash, RSA 3072 bits).
    /// - Throws: ``TokenError/Code/invalidKey`` when the crypto library cannot make the key.
    public static func generate(algorithm: JWSAlgorithm, keyID: String?) throws(TokenError) -> SigningKey {
        do {
            switch algorithm {
            case .hs256, .hs384, .hs512:
                return try SigningKey(hmac: SymmetricKey(size: .init(bitCount: algorithm.hashAlgorithm.digestByteCount * 8)),
                                      algorithm: algorithm, keyID: keyID)
            case .es256: return SigningKey(p256: try P256.PrivateKey(), keyID: keyID)
            case .es384: return SigningKey(p384: try P384.PrivateKey(), keyID: keyID)
            case .edDSA: return SigningKey(ed25519: try Ed25519.PrivateKey(), keyID: keyID)
            case .rs256, .rs384, .rs512, .ps256, .ps384, .ps512:
                return try SigningKey(rsa: try RSA.PrivateKey(keySize: 3072), algorithm: algorithm, keyID: keyID)
            }
        } catch let error as TokenError {
            throw error
        } catch {
            throw TokenError(code: .invalidKey, message: "cannot generate a \(algorithm.rawValue) key: \(error)")
        }
    }

    /// The key that verifies this key's signatures (for HMAC, the same secret).
    public var verificationKey: VerificationKey {
        let material: VerificationKey.Material =
            switch material {
            case .hmac(_, let prepared): .hmac(prepared)
            case .p256(let key): .p256(key.publicKey)
            case .p384(let key): .p384(key.publicKey)
            case .ed25519(let key): .ed25519(key.publicKey)
            case .rsa(let key): .rsa(key.publicKey)
            }
        return VerificationKey(algorithm: algorithm, keyID: keyID, material: material)
    }

    /// The compact serialization `BASE64URL(header).BASE64URL(payload).BASE64URL(signature)` of the
    /// header JSON `json[..<headerCount]` and the payload JSON after it. HMAC tokens are encoded and
    /// signed in place in the returned string's own storage (issue runs once per grant); other
    /// algorithms sign a copy of the signing input.
    func compactSerialization(json: UnsafeRawBufferPointer, headerCount: Int) throws(TokenError) -> String {
        let header = UnsafeRawBufferPointer(rebasing: json[..<headerCount])
        let payload = UnsafeRawBufferPointer(rebasing: json[headerCount...])
        let inputCount = Base64URL.encodedCount(header.count) + 1 + Base64URL.encodedCount(payload.count)
        guard case .hmac(_, let key) = material else {
            var signingInput: [UInt8] = []
            signingInput.reserveCapacity(inputCount)
            Base64URL.encode(header, appendingTo: &signingInput)
            signingInput.append(UInt8(ascii: "."))
            Base64URL.encode(payload, appendingTo: &signingInput)
            let signature = try signature(for: signingInput)
            signingInput.append(UInt8(ascii: "."))
            signature.withUnsafeBytes { Base64URL.encode($0, appendingTo: &signingInput) }
            return String(decoding: signingInput, as: UTF8.self)
        }
        var failure: (any Error)?
        // Room for the largest tag (HMAC-SHA-512, 64 bytes); the string takes the length written.
        let token = String(unsafeUninitializedCapacity: inputCount + 1 + Base64URL.encodedCount(64)) { buffer in
            guard let base = buffer.baseAddress else { return 0 }
            var written = Base64URL.encode(header, to: base)
            base[written] = UInt8(ascii: ".")
            written += 1
            written += Base64URL.encode(payload, to: base + written)
            var tag = (UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0))
            do {
                let count = try withUnsafeMutableBytes(of: &tag) { tag in
                    try key.authenticate(UnsafeRawBufferPointer(start: base, count: written), into: tag)
                }
                base[written] = UInt8(ascii: ".")
                written += 1
                written += withUnsafeBytes(of: &tag) { Base64URL.encode(UnsafeRawBufferPointer(rebasing: $0.prefix(count)), to: base + written) }
            } catch {
                failure = error
                return 0
            }
            return written
        }
        if let failure { throw TokenError(code: .invalidKey, message: "signing failed: \(failure)") }
        return token
    }

    /// The JWS signature of `signingInput` (`BASE64URL(header).BASE64URL(payload)`).
    public func signature(for signingInput: [UInt8]) throws(TokenError) -> [UInt8] {
        do {
            switch material {
            case .hmac(_, let key): return try key.authenticationCode(for: signingInput).bytes
            case .p256(let key): return try key.signature(for: signingInput).rawRepresentation
            case .p384(let key): return try key.signature(for: signingInput).rawRepresentation
            case .ed25519(let key): return try key.signature(for: signingInput)
            case .rsa(let key):
                guard let padding = algorithm.rsaPadding else { throw TokenError(code: .invalidKey, message: "not an RSA algorithm") }
                return try key.signature(for: signingInput, padding: padding, algorithm: algorithm.hashAlgorithm)
            }
        } catch let error as TokenError {
            throw error
        } catch {
            throw TokenError(code: .invalidKey, message: "signing failed: \(error)")
        }
    }
}
