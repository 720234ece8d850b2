/// A keyed fingerprint of a secret: `hmac:` + 64 lowercase hex digits of HMAC-SHA256 under an
/// ``AuditRedactor``'s key. Equal secrets give equal fingerprints under one key, so events stay
/// matchable, while the value cannot be recovered or brute-forced without the key.
///
/// Only an ``AuditRedactor`` or ``init(validating:)`` creates one, so a raw secret cannot be put
/// into an event by mistake.
public struct SecretFingerprint: Sendable, Hashable, CustomStringConvertible {
    /// The text form, `hmac:<hex>`.
    public let rawValue: String

    init(uncheckedRawValue: String) { rawValue = uncheckedRawValue }

    /// Accepts `hmac:` followed by exactly 64 lowercase hex digits; nil otherwise.
    public init?(validating text: String) {
        let prefix = "hmac:"
        guard text.hasPrefix(prefix) else { return nil }
        let hex = text.utf8.dropFirst(prefix.utf8.count)
        guard hex.count == 64, hex.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else {
            return nil
        }
        rawValue = text
    }

    /// The text form.
    public var description: String { rawValue }
}
