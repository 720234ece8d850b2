public import ZeroTrustCrypto

/// A leaf certificate issued by ``DevelopmentCA`` with its new private key.
public struct IssuedCertificate: Sendable {
    /// The leaf.
    public let certificate: Certificate
    /// The intermediates a verifier needs between the leaf and the root (empty without one).
    public let intermediates: [Certificate]
    /// The private key as PKCS#8 PEM, in memory that is wiped when released.
    public let privateKeyPEM: SecureBytes

    /// The leaf followed by its intermediates, as PEM: what a TLS peer presents.
    public var chainPEM: String { ([certificate] + intermediates).map(\.pemRepresentation).joined() }

    /// Writes ``chainPEM`` to `certificatePath` (mode 0644) and the key to `privateKeyPath`
    /// (atomically, mode 0600, through `SecretFile`).
    public func write(certificateTo certificatePath: String, privateKeyTo privateKeyPath: String) throws(CertificateError) {
        try DevelopmentCA.writeKey(privateKeyPEM, to: privateKeyPath)
        try DevelopmentCA.writeCertificate(chainPEM, to: certificatePath)
    }
}
