import ZeroTrustCrypto

/// Loading the audit keys named on the command line (errors exit 2).
enum AuditKeys {
    static func signingKey(_ path: String) throws -> Ed25519.PrivateKey {
        let pem = try loading("cannot read signing key \(path)") { try SecretFile.readText(path) }
        return try loading("signing key \(path) is not an Ed25519 private key") { try Ed25519.PrivateKey(pemRepresentation: pem) }
    }

    static func publicKey(_ path: String) throws -> Ed25519.PublicKey {
        let pem = String(decoding: try InputFiles.data(path), as: UTF8.self)
        return try loading("public key \(path) is not an Ed25519 public key") { try Ed25519.PublicKey(pemRepresentation: pem) }
    }

    static func hmacKey(_ path: String?) throws -> SymmetricKey? {
        try path.map(SymmetricKeyFile.read)
    }
}
