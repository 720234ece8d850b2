/// The authenticated-encryption algorithms ZeroTrustKit offers. All take 256-bit keys and produce
/// 128-bit tags.
public enum AEADAlgorithm: String, Sendable, Hashable, CaseIterable {
    /// AES-256 in Galois/Counter Mode (NIST SP 800-38D) through OpenSSL, 96-bit nonces.
    case aes256GCM = "aes-256-gcm"
    /// ChaCha20-Poly1305 (RFC 8439, IETF variant) through OpenSSL, 96-bit nonces.
    case chacha20Poly1305 = "chacha20-poly1305"
    /// XChaCha20-Poly1305 (draft-irtf-cfrg-xchacha) through libsodium, 192-bit nonces that are
    /// safe to choose at random for any number of messages.
    case xchacha20Poly1305 = "xchacha20-poly1305"

    /// The key length: 32 bytes for every algorithm.
    public var keyByteCount: Int { 32 }

    /// The nonce length: 12 bytes, or 24 for XChaCha20-Poly1305.
    public var nonceByteCount: Int {
        switch self {
        case .aes256GCM, .chacha20Poly1305: 12
        case .xchacha20Poly1305: 24
        }
    }

    /// The tag length: 16 bytes.
    public var tagByteCount: Int { 16 }

    /// The longest plaintext one nonce may seal: 2^36 − 32 bytes for AES-GCM (NIST SP 800-38D
    /// §5.2.1.1), 2^38 − 64 bytes for the ChaCha20 variants (RFC 8439 §2.8).
    public var maximumPlaintextByteCount: UInt64 {
        switch self {
        case .aes256GCM: (1 << 36) - 32
        case .chacha20Poly1305, .xchacha20Poly1305: (1 << 38) - 64
        }
    }

    /// How many messages one key may seal under random nonces before the chance of a repeated
    /// nonce exceeds 2^-32: 2^32 for 96-bit nonces (NIST SP 800-38D §8.3), and no practical limit
    /// for XChaCha20-Poly1305's 192-bit nonces.
    public var randomNonceLimit: UInt64 {
        switch self {
        case .aes256GCM, .chacha20Poly1305: 1 << 32
        case .xchacha20Poly1305: .max
        }
    }
}
