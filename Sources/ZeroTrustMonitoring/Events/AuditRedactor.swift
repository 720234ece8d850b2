public import Foundation
public import ZeroTrustCrypto

/// Turns secrets into ``SecretFingerprint``s with HMAC-SHA256 under a dedicated key (Vault's
/// approach to audit logs): the value never reaches the log, yet two events about the same token
/// or API key can be matched, and an operator holding the key can check a suspected value.
///
/// ```swift
/// let redactor = AuditRedactor(key: SymmetricKey(size: .bits256))
/// let event = AuthenticationEvent(subject: "svc", method: .apiKey, outcome: .failure,
///                                 credential: try redactor.fingerprint(of: Array(apiKey.utf8)))
/// ```
public struct AuditRedactor: Sendable {
    private let key: SymmetricKey

    /// A redactor keyed with `key` (use a random key of at least 256 bits, kept like any secret).
    public init(key: SymmetricKey) { self.key = key }

    /// The fingerprint of `secret`.
    public func fingerprint(of secret: some ContiguousBytes) throws -> SecretFingerprint {
        let code = try HMAC.authenticationCode(for: secret, using: key, algorithm: .sha256)
        return SecretFingerprint(uncheckedRawValue: "hmac:" + Hex.encode(code.bytes))
    }

    /// The fingerprint of a UTF-8 string secret.
    public func fingerprint(of secret: String) throws -> SecretFingerprint {
        try fingerprint(of: Array(secret.utf8))
    }
}
