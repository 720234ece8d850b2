internal import CZeroTrustOpenSSL
internal import CZeroTrustShims

/// The key types a certificate's subject may have when this library issues it.
package enum X509KeySpec: Sendable, Hashable {
    case ecP256
    case ecP384
    /// Any other named curve, e.g. "P-521" or "secp256k1" (used by tests of the key policy).
    case ec(group: String)
    case ed25519
    case rsa(bits: Int)
}

/// A private key for issuing or holding certificates. Wraps ``EVPKey``; immutable, hence
/// `Sendable` through it.
package struct X509PrivateKey: Sendable {
    let key: EVPKey

    /// A fresh key of the given type.
    package static func generate(_ spec: X509KeySpec) throws(CryptoError) -> X509PrivateKey {
        OpenSSLErrorQueue.clear()
        let pkey: OpaquePointer? =
            switch spec {
            case .ecP256: zt_ec_generate("P-256")
            case .ecP384: zt_ec_generate("P-384")
            case .ec(let group): zt_ec_generate(group)
            case .ed25519: generateEd25519()
            case .rsa(let bits): bits > 0 && bits <= 16384 ? zt_rsa_generate(UInt32(bits)) : nil
            }
        guard let pkey else { throw CryptoError.openSSL(.invalidParameter, "cannot generate a \(spec) key") }
        return X509PrivateKey(key: EVPKey(taking: pkey))
    }

    private static func generateEd25519() -> OpaquePointer? {
        guard let context = EVP_PKEY_CTX_new_from_name(nil, "ED25519", nil) else { return nil }
        defer { EVP_PKEY_CTX_free(context) }
        var pkey: OpaquePointer?
        guard EVP_PKEY_keygen_init(context) == 1, EVP_PKEY_generate(context, &pkey) == 1 else { return nil }
        return pkey
    }

    /// A key from PKCS#8 PEM (`PRIVATE KEY`).
    package init(pem: String) throws(CryptoError) {
        key = try EVPKey.privateKey(pem: pem)
    }

    init(key: EVPKey) { self.key = key }

    /// PKCS#8 PEM of the private key.
    package func pem() throws(CryptoError) -> String { try key.privatePEM() }

    /// The digest to sign certificates with: none for Ed25519 (it hashes internally), SHA-384 for
    /// P-384 keys, SHA-256 otherwise.
    var signingDigest: OpaquePointer? {
        if key.isA("ED25519") { return nil }
        if key.isA("EC"), key.groupName == "secp384r1" { return zt_md_sha384() }
        return zt_md_sha256()
    }
}
