internal import CZeroTrustShims

/// A SHA-2 hash function, as used by hashing, HMAC, HKDF and RSA signatures.
public enum HashAlgorithm: String, Sendable, Hashable, CaseIterable {
    /// SHA-256 (FIPS 180-4).
    case sha256 = "SHA-256"
    /// SHA-384 (FIPS 180-4).
    case sha384 = "SHA-384"
    /// SHA-512 (FIPS 180-4).
    case sha512 = "SHA-512"

    /// The digest length in bytes: 32, 48 or 64.
    public var digestByteCount: Int {
        switch self {
        case .sha256: 32
        case .sha384: 48
        case .sha512: 64
        }
    }

    /// OpenSSL's name for the digest, as OSSL_PARAM values expect it.
    var openSSLName: String {
        switch self {
        case .sha256: "SHA2-256"
        case .sha384: "SHA2-384"
        case .sha512: "SHA2-512"
        }
    }

    /// The prefetched `EVP_MD` (see `zt_md_sha256`). Resolved at each call site because
    /// `OpaquePointer` is not `Sendable`; the lookup is a load after the first call.
    func evpMD() throws(CryptoError) -> OpaquePointer {
        let md: OpaquePointer? =
            switch self {
            case .sha256: zt_md_sha256()
            case .sha384: zt_md_sha384()
            case .sha512: zt_md_sha512()
            }
        guard let md else { throw CryptoError.openSSL(.libraryFailure, "OpenSSL has no \(rawValue)") }
        return md
    }
}
