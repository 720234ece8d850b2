public import Foundation
internal import CZeroTrustSodium

/// X25519 Diffie-Hellman (RFC 7748) through libsodium; PKCS#8 and SubjectPublicKeyInfo encodings
/// (RFC 8410) through OpenSSL.
///
/// ```swift
/// let alice = try X25519.PrivateKey(), bob = try X25519.PrivateKey()
/// let secret = try alice.sharedSecretFromKeyAgreement(with: bob.publicKey)
/// let key = try HKDF.deriveKey(inputKeyMaterial: secret, info: Array("ctx".utf8),
///                              outputByteCount: 32, algorithm: .sha256)
/// ```
/// Feed the shared secret through a KDF such as ``HKDF`` before using it as a key.
public enum X25519 {
    /// An X25519 private key: 32 bytes.
    public struct PrivateKey: Sendable, CustomStringConvertible {
        /// The 32-byte private scalar.
        public let rawRepresentation: SecureBytes
        /// The matching public key.
        public let publicKey: PublicKey

        /// A new random key.
        public init() throws {
            try self.init(secret: SecureBytes(randomCount: 32))
        }

        /// The key with the 32-byte scalar `rawRepresentation`.
        public init(rawRepresentation: some ContiguousBytes) throws {
            try self.init(secret: SecureBytes(copying: rawRepresentation))
        }

        /// A key from PKCS#8 DER.
        public init(derRepresentation: some ContiguousBytes) throws {
            let key = try derRepresentation.withUnsafeBytes { der in try EVPKey.parsePKCS8(der) }
            try key.require(type: "X25519", as: "X25519")
            try self.init(secret: key.rawPrivateKey(count: 32))
        }

        /// A key from PKCS#8 PEM.
        public init(pemRepresentation: String) throws {
            let key = try EVPKey.privateKey(pem: pemRepresentation)
            try key.require(type: "X25519", as: "X25519")
            try self.init(secret: key.rawPrivateKey(count: 32))
        }

        private init(secret: SecureBytes) throws {
            try Sodium.ensureInitialised()
            guard secret.count == Int(crypto_scalarmult_SCALARBYTES) else {
                throw CryptoError(code: .invalidKeySize, message: "an X25519 private key is 32 bytes, got \(secret.count)")
            }
            var publicBytes = [UInt8](repeating: 0, count: Int(crypto_scalarmult_BYTES))
            let status = secret.withBytePointer { s in crypto_scalarmult_base(&publicBytes, s) }
            guard status == 0 else { throw CryptoError(code: .invalidKey, message: "X25519 private key yields no public key") }
            rawRepresentation = secret
            publicKey = try PublicKey(rawRepresentation: publicBytes)
        }

        /// PKCS#8 DER.
        public var derRepresentation: SecureBytes {
            get throws { try rawRepresentation.withUnsafeBytes { try EVPKey.rawPrivate(type: "X25519", $0) }.pkcs8DER() }
        }

        /// PKCS#8 PEM.
        public var pemRepresentation: String {
            get throws { try rawRepresentation.withUnsafeBytes { try EVPKey.rawPrivate(type: "X25519", $0) }.privatePEM() }
        }

        /// The raw shared secret with `peer`. Throws ``CryptoError/Code/keyAgreementFailure`` when
        /// the result is all zeros, which happens exactly for low-order peer keys (RFC 7748 §6.1).
        public func sharedSecretFromKeyAgreement(with peer: PublicKey) throws -> SymmetricKey {
            var status: Int32 = -1
            var peerBytes = peer.rawRepresentation
            let secret = SecureBytes(count: Int(crypto_scalarmult_BYTES)) { (out: UnsafeMutablePointer<UInt8>) in
                rawRepresentation.withBytePointer { s in status = crypto_scalarmult(out, s, &peerBytes) }
            }
            guard status == 0 else {
                throw CryptoError(code: .keyAgreementFailure, message: "X25519 produced the all-zero secret (low-order public key)")
            }
            return SymmetricKey(bytes: secret)
        }

        /// Redacted; shows the public key.
        public var description: String { "X25519.PrivateKey(public: \(publicKey), redacted)" }
    }

    /// An X25519 public key: 32 bytes.
    public struct PublicKey: Sendable, Hashable, CustomStringConvertible {
        /// The 32-byte u-coordinate.
        public let rawRepresentation: [UInt8]

        /// A key from its 32-byte encoding. Every 32-byte string is accepted, as RFC 7748 requires.
        public init(rawRepresentation: some ContiguousBytes) throws {
            let bytes = rawRepresentation.withUnsafeBytes { Array($0) }
            guard bytes.count == Int(crypto_scalarmult_BYTES) else {
                throw CryptoError(code: .invalidKeySize, message: "an X25519 public key is 32 bytes, got \(bytes.count)")
            }
            self.rawRepresentation = bytes
        }

        /// A key from SubjectPublicKeyInfo DER.
        public init(derRepresentation: some ContiguousBytes) throws {
            let key = try derRepresentation.withUnsafeBytes { der in try EVPKey.parseSPKI(der) }
            try key.require(type: "X25519", as: "X25519")
            try self.init(rawRepresentation: key.rawPublicKey(count: 32))
        }

        /// A key from SubjectPublicKeyInfo PEM.
        public init(pemRepresentation: String) throws {
            let key = try EVPKey.publicKey(pem: pemRepresentation)
            try key.require(type: "X25519", as: "X25519")
            try self.init(rawRepresentation: key.rawPublicKey(count: 32))
        }

        /// SubjectPublicKeyInfo DER.
        public var derRepresentation: [UInt8] {
            get throws { try rawRepresentation.withUnsafeBytes { try EVPKey.rawPublic(type: "X25519", $0) }.spkiDER() }
        }

        /// SubjectPublicKeyInfo PEM.
        public var pemRepresentation: String {
            get throws { try rawRepresentation.withUnsafeBytes { try EVPKey.rawPublic(type: "X25519", $0) }.publicPEM() }
        }

        /// Hex of the key.
        public var description: String { "X25519.PublicKey(\(Hex.encode(rawRepresentation)))" }
    }
}
