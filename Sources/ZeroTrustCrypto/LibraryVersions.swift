internal import CZeroTrustOpenSSL
internal import CZeroTrustSodium

/// The versions of ZeroTrustKit and of the C libraries it runs against.
public enum LibraryVersions {
    /// ZeroTrustKit's own version.
    public static let zeroTrustKit = "0.1.0"

    /// The OpenSSL library loaded at run time, e.g. `OpenSSL 3.0.19 27 Jan 2026`.
    public static var openSSL: String {
        OpenSSL_version(Int32(OPENSSL_VERSION)).map { String(cString: $0) } ?? "unknown"
    }

    /// The libsodium library loaded at run time, e.g. `1.0.18`.
    public static var libsodium: String {
        sodium_version_string().map { String(cString: $0) } ?? "unknown"
    }
}
