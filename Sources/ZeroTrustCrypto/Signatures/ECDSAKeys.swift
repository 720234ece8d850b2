public import Foundation
internal import CZeroTrustOpenSSL
internal import CZeroTrustShims

/// An ECDSA signing key on `Curve` (``P256`` or ``P384``), through OpenSSL.
///
/// Messages are hashed with the curve's hash (``ECCurve/hashAlgorithm``) before signing.
public struct ECDSAPrivateKey<Curve: ECDSACurve>: Sendable, CustomStringConvertible {
    let key: EVPKey
    /// The matching public key.
    public let publicKey: ECDSAPublicKey<Curve>

    /// A new random key.
    public init() throws {
        OpenSSLErrorQueue.clear()
        guard let pkey = zt_ec_generate(Curve.curve.rawValue) else {
            throw CryptoError.openSSLFailure("EC key generation (\(Curve.curve.rawValue))")
        }
        try self.init(checked: EVPKey(taking: pkey))
    }

    /// The key with the big-endian private scalar `rawRepresentation` (exactly the coordinate
    /// length), which must be in [1, n − 1].
    public init(rawRepresentation: some ContiguousBytes) throws {
        let n = Curve.curve.coordinateByteCount
        let pkey: OpaquePointer? = try rawRepresentation.withUnsafeBytes { (scalar) throws(CryptoError) in
            guard scalar.count == n else {
                throw CryptoError(code: .invalidKeySize, message: "a \(Curve.curve.rawValue) private key is \(n) bytes, got \(scalar.count)")
            }
            OpenSSLErrorQueue.clear()
            return zt_ec_private_from_scalar(Curve.curve.rawValue, scalar.baseAddress, scalar.count)
        }
        guard let pkey else {
            throw CryptoError.openSSL(.invalidKey, "the scalar is not a valid \(Curve.curve.rawValue) private key (zero or not below the group order)")
        }
        try self.init(checked: EVPKey(taking: pkey))
    }

    /// A key from PKCS#8 DER.
    public init(derRepresentation: some ContiguousBytes) throws {
        try self.init(checked: derRepresentation.withUnsafeBytes { der in try EVPKey.parsePKCS8(der) })
    }

    /// A key from PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`).
    public init(pemRepresentation: String) throws {
        try self.init(checked: EVPKey.privateKey(pem: pemRepresentation))
    }

    init(checked key: EVPKey) throws {
        try ECKeyCheck.require(key, curve: Curve.curve)
        self.key = key
        self.publicKey = try ECDSAPublicKey(checked: key)
    }

    /// The big-endian private scalar, padded to the coordinate length.
    public var rawRepresentation: SecureBytes {
        get throws { try key.bigNumber("priv", padTo: Curve.curve.coordinateByteCount) }
    }

    /// PKCS#8 DER.
    public var derRepresentation: SecureBytes {
        get throws { try key.pkcs8DER() }
    }

    /// PKCS#8 PEM.
    public var pemRepresentation: String {
        get throws { try key.privatePEM() }
    }

    /// Signs `message` (hashed with the curve's hash) with a fresh random nonce from OpenSSL's DRBG.
    public func signature(for message: some ContiguousBytes) throws -> ECDSASignature<Curve> {
        let digest = try SHA2.hash(message, using: Curve.curve.hashAlgorithm)
        let der = try digest.withUnsafeBytes { d in
            try PKeyOperation.sign(key, digest: d, maximumSignatureLength: 2 * Curve.curve.coordinateByteCount + 16)
        }
        return try ECDSASignature(producedDER: der)
    }

    /// Redacted; shows the curve.
    public var description: String { "ECDSAPrivateKey<\(Curve.curve.rawValue)>(redacted)" }
}

/// An ECDSA verification key on `Curve`.
public struct ECDSAPublicKey<Curve: ECDSACurve>: Sendable, Hashable, CustomStringConvertible {
    let key: EVPKey
    /// SubjectPublicKeyInfo DER: the identity of the key, for equality and hashing.
    public let derRepresentation: [UInt8]

    /// A key from an uncompressed (`04 ‖ x ‖ y`, ANSI X9.63) or compressed (`02/03 ‖ x`) SEC1
    /// point; the point must be on the curve.
    public init(x963Representation: some ContiguousBytes) throws {
        let pkey: OpaquePointer? = x963Representation.withUnsafeBytes { point in
            OpenSSLErrorQueue.clear()
            return point.count == 0 ? nil : zt_ec_public_from_point(Curve.curve.rawValue, point.baseAddress, point.count)
        }
        guard let pkey else {
            throw CryptoError.openSSL(.invalidKey, "not a valid \(Curve.curve.rawValue) point")
        }
        try self.init(checked: EVPKey(taking: pkey))
    }

    /// A key from `x ‖ y`, each coordinate padded to the coordinate length (as in a JWK).
    public init(rawRepresentation: some ContiguousBytes) throws {
        let bytes = rawRepresentation.withUnsafeBytes { Array($0) }
        guard bytes.count == 2 * Curve.curve.coordinateByteCount else {
            throw CryptoError(code: .invalidKeySize,
                              message: "a raw \(Curve.curve.rawValue) public key is \(2 * Curve.curve.coordinateByteCount) bytes (x ‖ y), got \(bytes.count)")
        }
        try self.init(x963Representation: [0x04] + bytes)
    }

    /// A key from SubjectPublicKeyInfo DER.
    public init(derRepresentation: some ContiguousBytes) throws {
        try self.init(checked: derRepresentation.withUnsafeBytes { der in try EVPKey.parseSPKI(der) })
    }

    /// A key from SubjectPublicKeyInfo PEM (`-----BEGIN PUBLIC KEY-----`).
    public init(pemRepresentation: String) throws {
        try self.init(checked: EVPKey.publicKey(pem: pemRepresentation))
    }

    init(checked key: EVPKey) throws {
        try ECKeyCheck.require(key, curve: Curve.curve)
        // Re-derive the public key alone so that a public key never carries a private scalar.
        let der = try key.spkiDER()
        self.key = try der.withUnsafeBytes { d in try EVPKey.parseSPKI(d) }
        self.derRepresentation = der
    }

    /// The uncompressed point `04 ‖ x ‖ y`.
    public var x963Representation: [UInt8] {
        get throws { try key.octetString("encoded-pub-key", capacity: 1 + 2 * Curve.curve.coordinateByteCount) }
    }

    /// `x ‖ y`.
    public var rawRepresentation: [UInt8] {
        get throws { Array(try x963Representation.dropFirst()) }
    }

    /// SubjectPublicKeyInfo PEM.
    public var pemRepresentation: String {
        get throws { try key.publicPEM() }
    }

    /// Whether `signature` signs `message` under this key.
    public func isValidSignature(_ signature: ECDSASignature<Curve>, for message: some ContiguousBytes) -> Bool {
        guard let digest = try? SHA2.hash(message, using: Curve.curve.hashAlgorithm),
              let der = try? signature.derRepresentation
        else { return false }
        return der.withUnsafeBytes { s in
            digest.withUnsafeBytes { d in PKeyOperation.verify(key, signature: s, digest: d) }
        }
    }

    /// Equal when the SubjectPublicKeyInfo encodings are equal.
    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.derRepresentation == rhs.derRepresentation }

    /// Hashes the SubjectPublicKeyInfo encoding.
    public func hash(into hasher: inout Hasher) { hasher.combine(derRepresentation) }

    /// The curve and the SHA-256 of the key's DER (a fingerprint).
    public var description: String {
        let fingerprint = (try? SHA2.hash(derRepresentation, using: .sha256).hexString.prefix(16)) ?? "?"
        return "ECDSAPublicKey<\(Curve.curve.rawValue)>(sha256:\(fingerprint)…)"
    }
}

/// Checks shared by EC private and public keys.
enum ECKeyCheck {
    static func require(_ key: EVPKey, curve: ECCurve) throws(CryptoError) {
        try key.require(type: "EC", as: "an EC key on \(curve.rawValue)")
        guard let group = key.groupName, curve.openSSLGroupNames.contains(group) else {
            throw CryptoError(code: .keyTypeMismatch,
                              message: "the EC key is on \(key.groupName ?? "an unnamed curve"), expected \(curve.rawValue)")
        }
    }
}
