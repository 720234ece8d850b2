import ZeroTrustCrypto

/// A JSON Web Key (RFC 7517) for one of ZeroTrustKit's JWS algorithms: `oct` (RFC 7518 §6.4),
/// `EC` P-256/P-384 (§6.2), `OKP` Ed25519 (RFC 8037 §2) or `RSA` (§6.3).
///
/// A key is bound to one algorithm: `alg` is taken from the JWK, inferred where the key type
/// allows only one (EC curves, Ed25519), and required for `oct` and `RSA`.
///
/// ```swift
/// let jwk = try JWK(json: text)
/// let key = try jwk.verificationKey()
/// let exported = try JWK(signingKey: signingKey).json   // private members included
/// ```
public struct JWK: Sendable {
    /// The members, as parsed or as generated.
    public let members: [String: JSONValue]

    /// Parses a JWK object. Unknown members are kept; required members are checked on use.
    public init(json: some Collection<UInt8>) throws(TokenError) {
        let value: JSONValue
        do { value = try JSONValue(parsing: json) } catch {
            throw TokenError(code: .invalidKey, message: "JWK is not strict JSON: \(error.message)")
        }
        guard let object = value.objectValue else { throw TokenError(code: .invalidKey, message: "a JWK must be a JSON object") }
        try self.init(members: object)
    }

    /// Parses a JWK from text.
    public init(json: String) throws(TokenError) {
        try self.init(json: Array(json.utf8))
    }

    init(members: [String: JSONValue]) throws(TokenError) {
        guard let kty = members["kty"]?.stringValue else { throw TokenError(code: .invalidKey, message: "JWK has no \"kty\"") }
        guard ["oct", "EC", "OKP", "RSA"].contains(kty) else {
            throw TokenError(code: .invalidKey, message: "JWK key type \"\(kty)\" is not supported")
        }
        self.members = members
    }

    /// The key type: `oct`, `EC`, `OKP` or `RSA`.
    public var keyType: String { members["kty"]?.stringValue ?? "" }
    /// The key identifier.
    public var keyID: String? { members["kid"]?.stringValue }
    /// Whether private (or secret) material is present.
    public var hasPrivateMaterial: Bool { keyType == "oct" || members["d"] != nil }

    /// The algorithm the key is bound to. `EC` and `OKP` keys must name their curve (`crv`), whose
    /// algorithm an `alg`, when present, must equal; `oct` keys are for HMAC and `RSA` keys for
    /// RSASSA algorithms only; a `use` other than `sig` is refused.
    public func algorithm() throws(TokenError) -> JWSAlgorithm {
        if !isForSignatures, let use = members["use"] {
            throw TokenError(code: .invalidKey, message: "JWK \"use\" \(use.serialized.prefix(32)) is not \"sig\"")
        }
        let inferred: JWSAlgorithm?
        switch (keyType, members["crv"]?.stringValue) {
        case ("EC", "P-256"): inferred = .es256
        case ("EC", "P-384"): inferred = .es384
        case ("OKP", "Ed25519"): inferred = .edDSA
        case ("EC", _), ("OKP", _):
            throw TokenError(code: .invalidKey, message: "a \(keyType) JWK needs a \"crv\" of \(keyType == "EC" ? "P-256 or P-384" : "Ed25519")")
        default: inferred = nil
        }
        guard let name = members["alg"] else {
            guard let inferred else {
                throw TokenError(code: .invalidKey, message: "a \(keyType) JWK must name its \"alg\" to be bound to one algorithm")
            }
            return inferred
        }
        guard let text = name.stringValue, let algorithm = JWSAlgorithm(rawValue: text) else {
            throw TokenError(code: .invalidKey, message: "JWK \"alg\" \(name.serialized.prefix(32)) is not a supported algorithm")
        }
        let fits: Bool =
            switch keyType {
            case "oct": algorithm.isSymmetric
            case "RSA": algorithm.rsaPadding != nil
            default: inferred == algorithm
            }
        guard fits else { throw TokenError(code: .invalidKey, message: "JWK \"alg\" \(text) does not fit its key type \(keyType)") }
        return algorithm
    }

    /// Whether the key declares itself for verifying signatures, or declares nothing (`use` and
    /// `key_ops`, RFC 7517 §4.2–4.3, absent).
    var isForSignatureVerification: Bool { isForSignatures && allows("verify") }

    /// Whether `use`, when present, is `sig` (RFC 7517 §4.2).
    private var isForSignatures: Bool { members["use"].map { $0.stringValue == "sig" } ?? true }

    /// Whether `key_ops`, when present, include `operation` (RFC 7517 §4.3).
    private func allows(_ operation: String) -> Bool {
        members["key_ops"].map { $0.stringArrayValue?.contains(operation) == true } ?? true
    }

    /// Refuses a key whose `key_ops` do not include `operation`.
    private func requireOperation(_ operation: String) throws(TokenError) {
        guard allows(operation) else {
            throw TokenError(code: .invalidKey, message: "JWK \"key_ops\" does not allow \"\(operation)\"")
        }
    }

    /// The EC public key's raw `x ‖ y`, each coordinate exactly the curve's length.
    private func ecPoint(coordinateByteCount: Int) throws(TokenError) -> [UInt8] {
        let x = try publicMember("x"), y = try publicMember("y")
        guard x.count == coordinateByteCount, y.count == coordinateByteCount else {
            throw TokenError(code: .invalidKey, message: "JWK coordinates \"x\" and \"y\" must be \(coordinateByteCount) bytes each")
        }
        return x + y
    }

    /// The verification key (from the public members; for `oct`, the secret).
    public func verificationKey() throws(TokenError) -> VerificationKey {
        let algorithm = try algorithm()
        try requireOperation("verify")
        do {
            switch keyType {
            case "oct": return try VerificationKey(hmac: SymmetricKey(bytes: secretMember("k")), algorithm: algorithm, keyID: keyID)
            case "EC":
                let raw = try ecPoint(coordinateByteCount: algorithm == .es256 ? 32 : 48)
                return algorithm == .es256
                    ? VerificationKey(p256: try P256.PublicKey(rawRepresentation: raw), keyID: keyID)
                    : VerificationKey(p384: try P384.PublicKey(rawRepresentation: raw), keyID: keyID)
            case "OKP": return VerificationKey(ed25519: try Ed25519.PublicKey(rawRepresentation: publicMember("x")), keyID: keyID)
            default:
                let key = try RSA.PublicKey(modulus: publicMember("n"), publicExponent: publicMember("e"))
                return try VerificationKey(rsa: key, algorithm: algorithm, keyID: keyID)
            }
        } catch let error as TokenError {
            throw error
        } catch {
            throw TokenError(code: .invalidKey, message: "JWK \(keyID.map { "\"\($0)\" " } ?? "")holds an unusable \(keyType) key: \(TokenError.reason(error))")
        }
    }

    /// The signing key (requires the private members).
    public func signingKey() throws(TokenError) -> SigningKey {
        let algorithm = try algorithm()
        try requireOperation("sign")
        guard hasPrivateMaterial else { throw TokenError(code: .invalidKey, message: "JWK has no private key material") }
        do {
            switch keyType {
            case "oct": return try SigningKey(hmac: SymmetricKey(bytes: secretMember("k")), algorithm: algorithm, keyID: keyID)
            case "EC":
                let raw = try ecPoint(coordinateByteCount: algorithm == .es256 ? 32 : 48)
                if algorithm == .es256 {
                    let key = try P256.PrivateKey(rawRepresentation: secretMember("d"))
                    guard try key.publicKey.rawRepresentation == raw else { throw Self.mismatch }
                    return SigningKey(p256: key, keyID: keyID)
                }
                let key = try P384.PrivateKey(rawRepresentation: secretMember("d"))
                guard try key.publicKey.rawRepresentation == raw else { throw Self.mismatch }
                return SigningKey(p384: key, keyID: keyID)
            case "OKP":
                let key = try Ed25519.PrivateKey(rawRepresentation: secretMember("d"))
                guard key.publicKey.rawRepresentation == (try publicMember("x")) else { throw Self.mismatch }
                return SigningKey(ed25519: key, keyID: keyID)
            default:
                let components = RSA.PrivateKey.Components(
                    modulus: try publicMember("n"), publicExponent: try publicMember("e"),
                    privateExponent: try secretMember("d"), prime1: try secretMember("p"), prime2: try secretMember("q"),
                    exponent1: try secretMember("dp"), exponent2: try secretMember("dq"), coefficient: try secretMember("qi"))
                return try SigningKey(rsa: RSA.PrivateKey(components: components), algorithm: algorithm, keyID: keyID)
            }
        } catch let error as TokenError {
            throw error
        } catch {
            throw TokenError(code: .invalidKey, message: "JWK \(keyID.map { "\"\($0)\" " } ?? "")holds an unusable \(keyType) private key: \(TokenError.reason(error))")
        }
    }

    /// The private JWK of a signing key (with `alg` and `kid`).
    /// - Throws: ``TokenError/Code/invalidKey`` when the key's parts cannot be read out (the
    ///   message never contains them).
    public init(signingKey: SigningKey) throws(TokenError) {
        var members = try Self.publicMembers(of: signingKey.verificationKey)
        do {
            switch signingKey.material {
            case .hmac(let secret, _): members["k"] = .string(Self.encodeSecret(secret.bytes))
            case .p256(let key): members["d"] = .string(Self.encodeSecret(try key.rawRepresentation))
            case .p384(let key): members["d"] = .string(Self.encodeSecret(try key.rawRepresentation))
            case .ed25519(let key): members["d"] = .string(Self.encodeSecret(key.rawRepresentation))
            case .rsa(let key):
                let c = try key.components
                for (name, value) in [("d", c.privateExponent), ("p", c.prime1), ("q", c.prime2), ("dp", c.exponent1),
                                      ("dq", c.exponent2), ("qi", c.coefficient)] {
                    members[name] = .string(Self.encodeSecret(value))
                }
            }
        } catch {
            throw TokenError(code: .invalidKey, message: "cannot export the private \(signingKey.algorithm.rawValue) key: \(TokenError.reason(error))")
        }
        try self.init(members: members)
    }

    /// The public JWK of a verification key. Refused for HMAC keys, whose "public" form is the secret:
    /// use ``init(signingKey:)`` and keep the result secret.
    /// - Throws: ``TokenError/Code/invalidKey``.
    public init(verificationKey: VerificationKey) throws(TokenError) {
        if case .hmac = verificationKey.material {
            throw TokenError(code: .invalidKey, message: "an HMAC key has no public form; export it as a secret JWK")
        }
        try self.init(members: Self.publicMembers(of: verificationKey))
    }

    /// Compact JSON with sorted members.
    public var json: String { JSONValue.object(members).serialized }

    private static func publicMembers(of key: VerificationKey) throws(TokenError) -> [String: JSONValue] {
        do { return try publicMembersOrCryptoError(of: key) } catch {
            throw TokenError(code: .invalidKey, message: "cannot export the public \(key.algorithm.rawValue) key: \(TokenError.reason(error))")
        }
    }

    private static func publicMembersOrCryptoError(of key: VerificationKey) throws -> [String: JSONValue] {
        var members: [String: JSONValue] = ["alg": .string(key.algorithm.rawValue)]
        if let keyID = key.keyID { members["kid"] = .string(keyID) }
        switch key.material {
        case .hmac: members["kty"] = .string("oct")
        case .p256(let publicKey):
            let raw = try publicKey.rawRepresentation
            members.merge(["kty": .string("EC"), "crv": .string("P-256"), "x": .string(Base64URL.encode(raw.prefix(32))),
                           "y": .string(Base64URL.encode(raw.suffix(32)))]) { $1 }
        case .p384(let publicKey):
            let raw = try publicKey.rawRepresentation
            members.merge(["kty": .string("EC"), "crv": .string("P-384"), "x": .string(Base64URL.encode(raw.prefix(48))),
                           "y": .string(Base64URL.encode(raw.suffix(48)))]) { $1 }
        case .ed25519(let publicKey):
            members.merge(["kty": .string("OKP"), "crv": .string("Ed25519"), "x": .string(Base64URL.encode(publicKey.rawRepresentation))]) { $1 }
        case .rsa(let publicKey):
            members.merge(["kty": .string("RSA"), "n": .string(Base64URL.encode(try publicKey.modulus)),
                           "e": .string(Base64URL.encode(try publicKey.publicExponent))]) { $1 }
        }
        return members
    }

    private static let mismatch = TokenError(code: .invalidKey, message: "the JWK's private key does not match its public members")

    private func publicMember(_ name: String) throws(TokenError) -> [UInt8] {
        guard let text = members[name]?.stringValue, let bytes = Base64URL.decode(text), !bytes.isEmpty else {
            throw TokenError(code: .invalidKey, message: "JWK member \"\(name)\" is missing or not base64url")
        }
        return bytes
    }

    /// Private members are decoded with libsodium's constant-time decoder straight into secure memory.
    private func secretMember(_ name: String) throws(TokenError) -> SecureBytes {
        guard var text = members[name]?.stringValue else {
            throw TokenError(code: .invalidKey, message: "JWK member \"\(name)\" is missing")
        }
        let decoded = text.withUTF8 { Base64.decodeSecure(UnsafeRawBufferPointer($0), variant: .urlSafeUnpadded) }
        guard let decoded, decoded.count > 0 else {
            throw TokenError(code: .invalidKey, message: "JWK member \"\(name)\" is not base64url")
        }
        return decoded
    }

    private static func encodeSecret(_ bytes: SecureBytes) -> String {
        bytes.withUnsafeBytes { Base64.encode($0, variant: .urlSafeUnpadded) }
    }
}
