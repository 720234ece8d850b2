import ZeroTrustCrypto
import ZeroTrustIdentity

/// Proof that the caller of `zt authorize --cert --key` holds the certificate's private key, as a
/// TLS handshake would: the key's public half must equal the certificate's.
enum CertificateKey {
    static func requireMatch(certificate: Certificate, keyPEM: String, keyPath: String) throws {
        let spki = certificate.publicKey.derRepresentation
        let matches: Bool
        if let key = try? P256.PrivateKey(pemRepresentation: keyPEM) {
            matches = (try? P256.PublicKey(derRepresentation: spki).rawRepresentation) == (try? key.publicKey.rawRepresentation)
        } else if let key = try? P384.PrivateKey(pemRepresentation: keyPEM) {
            matches = (try? P384.PublicKey(derRepresentation: spki).rawRepresentation) == (try? key.publicKey.rawRepresentation)
        } else if let key = try? Ed25519.PrivateKey(pemRepresentation: keyPEM) {
            matches = (try? key.publicKey.derRepresentation) == spki
        } else {
            throw CommandFailure.badInput("\(keyPath) is not a P-256, P-384 or Ed25519 private key")
        }
        guard matches else { throw CommandFailure.badInput("\(keyPath) is not the private key of the certificate") }
    }
}
