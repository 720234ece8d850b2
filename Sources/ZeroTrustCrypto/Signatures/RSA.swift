public import Foundation
internal import CZeroTrustOpenSSL
internal import CZeroTrustShims

/// RSA signatures through OpenSSL: RSASSA-PSS (salt length = hash length, MGF1 with the same hash,
/// as JWS PS256/384/512 require) and RSASSA-PKCS1-v1_5 (JWS RS256/384/512), both per RFC 8017.
///
/// Keys below 2048 bits are refused everywhere; keys above 8192 bits are refused because verifying
/// them costs an attacker nothing and us a great deal.
///
/// ```swift
/// let key = try RSA.PrivateKey(keySize: 3072)
/// let signature = try key.signature(for: message, padding: .pss, algorithm: .sha256)
/// let ok = key.publicKey.isValidSignature(signature, for: message, padding: .pss, algorithm: .sha256)
/// ```
public enum RSA {
    /// The smallest modulus accepted, in bits (NIST SP 800-131A).
    public static let minimumKeySize = 2048
    /// The largest modulus accepted, in bits.
    public static let maximumKeySize = 8192
    /// The sizes ``PrivateKey/init(keySize:)`` generates.
    public static let generatedKeySizes: Set<Int> = [2048, 3072, 4096]

    /// The signature scheme.
    public enum SignaturePadding: String, Sendable, Hashable, CaseIterable {
        /// RSASSA-PSS with MGF1 and a salt as long as the hash.
        case pss
        /// RSASSA-PKCS1-v1_5.
        case pkcs1v15
    }

    /// An RSA signing key.
    public struct PrivateKey: Sendable, CustomStringConvertible {
        let key: EVPKey
        /// The matching public key.
        public let publicKey: PublicKey

        /// A new key with public exponent 65537; `keySize` is 2048, 3072 or 4096.
        public init(keySize: Int = 3072) throws {
            guard RSA.generatedKeySizes.contains(keySize) else {
                throw CryptoError(code: .invalidParameter, message: "RSA key size must be 2048, 3072 or 4096 bits, not \(keySize)")
            }
            OpenSSLErrorQueue.clear()
            guard let pkey = zt_rsa_generate(UInt32(keySize)) else { throw CryptoError.openSSLFailure("RSA key generation") }
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
            try RSAKeyCheck.require(key)
            self.key = key
            self.publicKey = try PublicKey(checked: key)
        }

        /// The modulus size in bits.
        public var keySizeInBits: Int { key.bitCount }

        /// PKCS#8 DER.
        public var derRepresentation: SecureBytes {
            get throws { try key.pkcs8DER() }
        }

        /// PKCS#8 PEM.
        public var pemRepresentation: String {
            get throws { try key.privatePEM() }
        }

        /// Signs `message` after hashing it with `algorithm`.
        public func signature(for message: some ContiguousBytes, padding: SignaturePadding, algorithm: HashAlgorithm) throws -> [UInt8] {
            let digest = try SHA2.hash(message, using: algorithm)
            return try digest.withUnsafeBytes { d in
                try PKeyOperation.sign(key, digest: d, maximumSignatureLength: (keySizeInBits + 7) / 8,
                                       configuration: RSAKeyCheck.configurationID(padding, algorithm)) { (ctx) throws(CryptoError) in
                    try RSAKeyCheck.configure(ctx, padding: padding, algorithm: algorithm)
                }
            }
        }

        /// Redacted; shows the size.
        public var description: String { "RSA.PrivateKey(\(keySizeInBits) bits, redacted)" }
    }

    /// An RSA verification key.
    public struct PublicKey: Sendable, Hashable, CustomStringConvertible {
        let key: EVPKey
        /// SubjectPublicKeyInfo DER: the identity of the key, for equality and hashing.
        public let derRepresentation: [UInt8]

        /// A key from its big-endian modulus and public exponent (as in a JWK).
        public init(modulus: some ContiguousBytes, publicExponent: some ContiguousBytes) throws {
            let pkey: OpaquePointer? = modulus.withUnsafeBytes { n in
                publicExponent.withUnsafeBytes { e in
                    OpenSSLErrorQueue.clear()
                    return zt_rsa_from_components(n.baseAddress, n.count, e.baseAddress, e.count,
                                                  nil, 0, nil, 0, nil, 0, nil, 0, nil, 0, nil, 0)
                }
            }
            guard let pkey else { throw CryptoError.openSSL(.invalidKey, "invalid RSA modulus or exponent") }
            try self.init(checked: EVPKey(taking: pkey))
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
            try RSAKeyCheck.require(key)
            let der = try key.spkiDER()
            self.key = try der.withUnsafeBytes { d in try EVPKey.parseSPKI(d) }
            self.derRepresentation = der
        }

        /// The modulus size in bits.
        public var keySizeInBits: Int { key.bitCount }

        /// The big-endian modulus n.
        public var modulus: [UInt8] {
            get throws { try key.bigNumber("n").withUnsafeBytes { Array($0) } }
        }

        /// The big-endian public exponent e.
        public var publicExponent: [UInt8] {
            get throws { try key.bigNumber("e").withUnsafeBytes { Array($0) } }
        }

        /// SubjectPublicKeyInfo PEM.
        public var pemRepresentation: String {
            get throws { try key.publicPEM() }
        }

        /// Whether `signature` signs `message` (hashed with `algorithm`) under this key with `padding`.
        /// The signature must be exactly as long as the modulus.
        public func isValidSignature(_ signature: some ContiguousBytes, for message: some ContiguousBytes,
                                     padding: SignaturePadding, algorithm: HashAlgorithm) -> Bool {
            guard let digest = try? SHA2.hash(message, using: algorithm) else { return false }
            return signature.withUnsafeBytes { s in
                guard s.count == (keySizeInBits + 7) / 8 else { return false }
                return digest.withUnsafeBytes { d in
                    PKeyOperation.verify(key, signature: s, digest: d,
                                         configuration: RSAKeyCheck.configurationID(padding, algorithm)) { (ctx) throws(CryptoError) in
                        try RSAKeyCheck.configure(ctx, padding: padding, algorithm: algorithm)
                    }
                }
            }
        }

        /// Equal when the SubjectPublicKeyInfo encodings are equal.
        public static func == (lhs: Self, rhs: Self) -> Bool { lhs.derRepresentation == rhs.derRepresentation }

        /// Hashes the SubjectPublicKeyInfo encoding.
        public func hash(into hasher: inout Hasher) { hasher.combine(derRepresentation) }

        /// Size and a fingerprint.
        public var description: String {
            let fingerprint = (try? SHA2.hash(derRepresentation, using: .sha256).hexString.prefix(16)) ?? "?"
            return "RSA.PublicKey(\(keySizeInBits) bits, sha256:\(fingerprint)…)"
        }
    }
}

/// Checks and parameters shared by RSA private and public keys.
enum RSAKeyCheck {
    static func require(_ key: EVPKey) throws(CryptoError) {
        // "RSA-PSS"-restricted keys are a different OpenSSL type and are refused here.
        guard key.isA("RSA"), !key.isA("RSA-PSS") else {
            throw CryptoError(code: .keyTypeMismatch, message: "the key is \(key.typeName), expected RSA")
        }
        let bits = key.bitCount
        guard bits >= RSA.minimumKeySize else {
            throw CryptoError(code: .weakKey, message: "RSA keys must have at least \(RSA.minimumKeySize) bits, this one has \(bits)")
        }
        guard bits <= RSA.maximumKeySize else {
            throw CryptoError(code: .invalidKeySize, message: "RSA keys may have at most \(RSA.maximumKeySize) bits, this one has \(bits)")
        }
        let exponent = try key.bigNumber("e").withUnsafeBytes { Array($0) }
        guard let last = exponent.last, last & 1 == 1, exponent.count > 1 || last >= 3 else {
            throw CryptoError(code: .weakKey, message: "RSA public exponent must be odd and at least 3")
        }
    }

    /// A distinct number for each padding and hash, so pooled contexts are never mixed up.
    static func configurationID(_ padding: RSA.SignaturePadding, _ algorithm: HashAlgorithm) -> Int {
        (padding == .pss ? 8 : 0) + (HashAlgorithm.allCases.firstIndex(of: algorithm) ?? 7)
    }

    static func configure(_ ctx: OpaquePointer, padding: RSA.SignaturePadding, algorithm: HashAlgorithm) throws(CryptoError) {
        let md = try algorithm.evpMD()
        switch padding {
        case .pkcs1v15:
            try requireOpenSSL(EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING), "EVP_PKEY_CTX_set_rsa_padding")
            try requireOpenSSL(EVP_PKEY_CTX_set_signature_md(ctx, md), "EVP_PKEY_CTX_set_signature_md")
        case .pss:
            try requireOpenSSL(EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PSS_PADDING), "EVP_PKEY_CTX_set_rsa_padding")
            try requireOpenSSL(EVP_PKEY_CTX_set_signature_md(ctx, md), "EVP_PKEY_CTX_set_signature_md")
            try requireOpenSSL(EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, md), "EVP_PKEY_CTX_set_rsa_mgf1_md")
            try requireOpenSSL(EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx, RSA_PSS_SALTLEN_DIGEST), "EVP_PKEY_CTX_set_rsa_pss_saltlen")
        }
    }
}
