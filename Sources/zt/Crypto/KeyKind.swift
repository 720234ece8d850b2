import ArgumentParser
import ZeroTrustCrypto

/// The key types `zt crypto keygen` creates.
enum KeyKind: String, CaseIterable, ExpressibleByArgument {
    case aes256GCM = "aes-256-gcm"
    case chacha20Poly1305 = "chacha20-poly1305"
    case xchacha20Poly1305 = "xchacha20-poly1305"
    case hmacSHA256 = "hmac-sha256"
    case ed25519
    case p256
    case p384
    case rsa2048
    case rsa3072
    case rsa4096
    case x25519

    var isSymmetric: Bool {
        switch self {
        case .aes256GCM, .chacha20Poly1305, .xchacha20Poly1305, .hmacSHA256: true
        default: false
        }
    }
}

/// A symmetric key file: the key in standard base64 on one line, mode 0600.
enum SymmetricKeyFile {
    static func write(_ key: SymmetricKey, to path: String) throws {
        let text = key.withUnsafeBytes { Base64.encode($0, variant: .standard) } + "\n"
        try loading("cannot write \(path)") { try SecretFile.write(text, to: path) }
    }

    static func read(_ path: String) throws -> SymmetricKey {
        let contents = try loading("cannot read key \(path)") { try SecretFile.read(path, maximumByteCount: 4096) }
        let key: SecureBytes? = contents.withUnsafeBytes { raw in
            var end = raw.count
            while end > 0, raw[end - 1] == UInt8(ascii: "\n") || raw[end - 1] == UInt8(ascii: "\r") { end -= 1 }
            return Base64.decodeSecure(UnsafeRawBufferPointer(rebasing: raw[..<end]), variant: .standard)
        }
        guard let key, key.count > 0 else {
            throw CommandFailure.badInput("\(path) is not a base64 symmetric key file")
        }
        return SymmetricKey(bytes: key)
    }
}

/// A private signing key of any supported type, recognised from its PKCS#8 PEM.
enum AnySigningKey {
    case ed25519(Ed25519.PrivateKey)
    case p256(P256.PrivateKey)
    case p384(P384.PrivateKey)
    case rsa(RSA.PrivateKey)

    static func load(_ path: String) throws -> AnySigningKey {
        let pem = try loading("cannot read key \(path)") { try SecretFile.readText(path) }
        let attempts: [() throws -> AnySigningKey] = [
            { .ed25519(try Ed25519.PrivateKey(pemRepresentation: pem)) },
            { .p256(try P256.PrivateKey(pemRepresentation: pem)) },
            { .p384(try P384.PrivateKey(pemRepresentation: pem)) },
            { .rsa(try RSA.PrivateKey(pemRepresentation: pem)) },
        ]
        for attempt in attempts {
            do { return try attempt() } catch let error as CryptoError where error.code == .keyTypeMismatch { continue }
            catch let error as CryptoError { throw CommandFailure.badInput("\(path): \(error.message)") }
        }
        throw CommandFailure.badInput("\(path): not an Ed25519, P-256, P-384 or RSA private key")
    }

    /// The signature: Ed25519, ECDSA as r ‖ s (JWS form), RSA-PSS with SHA-256.
    func sign(_ message: [UInt8]) throws -> [UInt8] {
        switch self {
        case .ed25519(let key): try key.signature(for: message)
        case .p256(let key): try key.signature(for: message).rawRepresentation
        case .p384(let key): try key.signature(for: message).rawRepresentation
        case .rsa(let key): try key.signature(for: message, padding: .pss, algorithm: .sha256)
        }
    }
}

/// A public verification key of any supported type, recognised from its SubjectPublicKeyInfo PEM.
enum AnyVerifyingKey {
    case ed25519(Ed25519.PublicKey)
    case p256(P256.PublicKey)
    case p384(P384.PublicKey)
    case rsa(RSA.PublicKey)

    static func load(_ path: String) throws -> AnyVerifyingKey {
        let bytes = try InputFiles.data(path)
        let pem = String(decoding: bytes, as: UTF8.self)
        let attempts: [() throws -> AnyVerifyingKey] = [
            { .ed25519(try Ed25519.PublicKey(pemRepresentation: pem)) },
            { .p256(try P256.PublicKey(pemRepresentation: pem)) },
            { .p384(try P384.PublicKey(pemRepresentation: pem)) },
            { .rsa(try RSA.PublicKey(pemRepresentation: pem)) },
        ]
        for attempt in attempts {
            do { return try attempt() } catch let error as CryptoError where error.code == .keyTypeMismatch { continue }
            catch let error as CryptoError { throw CommandFailure.badInput("\(path): \(error.message)") }
        }
        throw CommandFailure.badInput("\(path): not an Ed25519, P-256, P-384 or RSA public key")
    }

    func isValid(_ signature: [UInt8], for message: [UInt8]) -> Bool {
        switch self {
        case .ed25519(let key): key.isValidSignature(signature, for: message)
        case .p256(let key): (try? P256.Signature(rawRepresentation: signature)).map { key.isValidSignature($0, for: message) } ?? false
        case .p384(let key): (try? P384.Signature(rawRepresentation: signature)).map { key.isValidSignature($0, for: message) } ?? false
        case .rsa(let key): key.isValidSignature(signature, for: message, padding: .pss, algorithm: .sha256)
        }
    }
}

/// The AEAD algorithms by their command-line names.
enum AEADChoice: String, CaseIterable, ExpressibleByArgument {
    case aes256GCM = "aes-256-gcm"
    case chacha20Poly1305 = "chacha20-poly1305"
    case xchacha20Poly1305 = "xchacha20-poly1305"

    var algorithm: AEADAlgorithm {
        switch self {
        case .aes256GCM: .aes256GCM
        case .chacha20Poly1305: .chacha20Poly1305
        case .xchacha20Poly1305: .xchacha20Poly1305
        }
    }

    var namespace: any AEAD.Type {
        switch self {
        case .aes256GCM: AES256GCM.self
        case .chacha20Poly1305: ChaCha20Poly1305.self
        case .xchacha20Poly1305: XChaCha20Poly1305.self
        }
    }
}
