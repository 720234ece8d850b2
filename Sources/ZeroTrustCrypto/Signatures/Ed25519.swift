public import Foundation
internal import CZeroTrustSodium

/// Ed25519 signatures (RFC 8032) through libsodium; PKCS#8 and SubjectPublicKeyInfo encodings
/// (RFC 8410) through OpenSSL.
///
/// ```swift
/// let key = try Ed25519.PrivateKey()
/// let signature = try key.signature(for: message)
/// let valid = key.publicKey.isValidSignature(signature, for: message)
/// ```
public enum Ed25519 {
    /// An Ed25519 signing key: its 32-byte seed and the derived public key.
    public struct PrivateKey: Sendable, CustomStringConvertible {
        /// libsodium's 64-byte secret key: seed ‖ public key.
        private let secretKey: SecureBytes
        /// The matching public key.
        public let publicKey: PublicKey

        /// A new random key.
        public init() throws {
            try self.init(seed: SecureBytes(randomCount: 32))
        }

        /// The key with the 32-byte seed `rawRepresentation` (RFC 8032's private key).
        public init(rawRepresentation: some ContiguousBytes) throws {
            try self.init(seed: SecureBytes(copying: rawRepresentation))
        }

        /// A key from PKCS#8 DER.
        public init(derRepresentation: some ContiguousBytes) throws {
            let key = try derRepresentation.withUnsafeBytes { der in try EVPKey.parsePKCS8(der) }
            try self.init(evpKey: key)
        }

        /// A key from PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`).
        public init(pemRepresentation: String) throws {
            try self.init(evpKey: EVPKey.privateKey(pem: pemRepresentation))
        }

        private init(evpKey: EVPKey) throws {
            try evpKey.require(type: "ED25519", as: "Ed25519")
            try self.init(seed: evpKey.rawPrivateKey(count: 32))
        }

        private init(seed: SecureBytes) throws {
            try Sodium.ensureInitialised()
            guard seed.count == Int(crypto_sign_SEEDBYTES) else {
                throw CryptoError(code: .invalidKeySize, message: "an Ed25519 private key is 32 bytes, got \(seed.count)")
            }
            var publicBytes = [UInt8](repeating: 0, count: Int(crypto_sign_PUBLICKEYBYTES))
            secretKey = SecureBytes(count: Int(crypto_sign_SECRETKEYBYTES)) { (secret: UnsafeMutablePointer<UInt8>) in
                seed.withBytePointer { s in _ = crypto_sign_seed_keypair(&publicBytes, secret, s) }
            }
            publicKey = try PublicKey(rawRepresentation: publicBytes)
        }

        /// The 32-byte seed.
        public var rawRepresentation: SecureBytes {
            secretKey.withUnsafeBytes { SecureBytes(copying: UnsafeRawBufferPointer(rebasing: $0[..<32])) }
        }

        /// PKCS#8 DER.
        public var derRepresentation: SecureBytes {
            get throws { try evpKey().pkcs8DER() }
        }

        /// PKCS#8 PEM.
        public var pemRepresentation: String {
            get throws { try evpKey().privatePEM() }
        }

        private func evpKey() throws -> EVPKey {
            try rawRepresentation.withUnsafeBytes { seed in try EVPKey.rawPrivate(type: "ED25519", seed) }
        }

        /// The 64-byte signature of `message`. Ed25519 is deterministic: the same key and message
        /// always give the same signature.
        public func signature(for message: some ContiguousBytes) throws -> [UInt8] {
            var signature = [UInt8](repeating: 0, count: Int(crypto_sign_BYTES))
            let status = message.withUnsafeBytes { m in
                secretKey.withBytePointer { sk in
                    crypto_sign_detached(&signature, nil, m.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt64(m.count), sk)
                }
            }
            guard status == 0 else { throw CryptoError(code: .libraryFailure, message: "crypto_sign_detached failed") }
            return signature
        }

        /// Redacted; shows the public key.
        public var description: String { "Ed25519.PrivateKey(public: \(publicKey), redacted)" }
    }

    /// An Ed25519 verification key: 32 bytes.
    public struct PublicKey: Sendable, Hashable, CustomStringConvertible {
        /// The 32-byte encoded point.
        public let rawRepresentation: [UInt8]

        /// A key from its 32-byte encoding.
        public init(rawRepresentation: some ContiguousBytes) throws {
            let bytes = rawRepresentation.withUnsafeBytes { Array($0) }
            guard bytes.count == Int(crypto_sign_PUBLICKEYBYTES) else {
                throw CryptoError(code: .invalidKeySize, message: "an Ed25519 public key is 32 bytes, got \(bytes.count)")
            }
            self.rawRepresentation = bytes
        }

        /// A key from SubjectPublicKeyInfo DER.
        public init(derRepresentation: some ContiguousBytes) throws {
            let key = try derRepresentation.withUnsafeBytes { der in try EVPKey.parseSPKI(der) }
            try self.init(evpKey: key)
        }

        /// A key from SubjectPublicKeyInfo PEM (`-----BEGIN PUBLIC KEY-----`).
        public init(pemRepresentation: String) throws {
            try self.init(evpKey: EVPKey.publicKey(pem: pemRepresentation))
        }

        private init(evpKey: EVPKey) throws {
            try evpKey.require(type: "ED25519", as: "Ed25519")
            try self.init(rawRepresentation: evpKey.rawPublicKey(count: 32))
        }

        /// SubjectPublicKeyInfo DER.
        public var derRepresentation: [UInt8] {
            get throws { try rawRepresentation.withUnsafeBytes { try EVPKey.rawPublic(type: "ED25519", $0) }.spkiDER() }
        }

        /// SubjectPublicKeyInfo PEM.
        public var pemRepresentation: String {
            get throws { try rawRepresentation.withUnsafeBytes { try EVPKey.rawPublic(type: "ED25519", $0) }.publicPEM() }
        }

        /// Whether `signature` is a valid signature of `message` under this key. libsodium rejects
        /// non-canonical S values and small-order keys and R points.
        public func isValidSignature(_ signature: some ContiguousBytes, for message: some ContiguousBytes) -> Bool {
            guard (try? Sodium.ensureInitialised()) != nil else { return false }
            return signature.withUnsafeBytes { s in
                guard s.count == Int(crypto_sign_BYTES), let sigPointer = s.baseAddress?.assumingMemoryBound(to: UInt8.self) else {
                    return false
                }
                return message.withUnsafeBytes { m in
                    rawRepresentation.withUnsafeBytes { pk in
                        guard let pkPointer = pk.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return false }
                        return crypto_sign_verify_detached(sigPointer, m.baseAddress?.assumingMemoryBound(to: UInt8.self),
                                                           UInt64(m.count), pkPointer) == 0
                    }
                }
            }
        }

        /// Hex of the key.
        public var description: String { "Ed25519.PublicKey(\(Hex.encode(rawRepresentation)))" }
    }
}
