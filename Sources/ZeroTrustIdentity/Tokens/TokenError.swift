internal import Foundation
import ZeroTrustCrypto

/// The error of token and API-key handling.
///
/// Match on ``code``: codes are stable and new ones can be added without breaking the API. The
/// message says what was wrong and where (segment, claim, byte offset) and never contains a token,
/// a key or a secret.
public struct TokenError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable identifier of the kind of failure.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The identifier as written in logs and JSON.
        public let rawValue: String
        /// Creates a code from its identifier.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// The identifier.
        public var description: String { rawValue }

        /// The token is larger than the configured limit; nothing was parsed.
        public static let tooLarge = Code(rawValue: "tooLarge")
        /// Not three base64url segments separated by dots.
        public static let malformed = Code(rawValue: "malformed")
        /// A segment is not strict base64url (padding, `+`/`/`, non-canonical trailing bits).
        public static let invalidBase64 = Code(rawValue: "invalidBase64")
        /// The header or payload is not a strict JSON object (syntax, duplicate member names, nesting).
        public static let invalidJSON = Code(rawValue: "invalidJSON")
        /// The header's `alg` is missing, unknown, `none`, or not the algorithm of the selected key.
        public static let algorithmNotAllowed = Code(rawValue: "algorithmNotAllowed")
        /// The header names a `crit` extension this library does not understand (RFC 7515 §4.1.11).
        public static let unsupportedCriticalHeader = Code(rawValue: "unsupportedCriticalHeader")
        /// The header embeds or points to a key (`jwk`, `jku`, `x5u`, `x5c`); such hints are never followed.
        public static let embeddedKeyNotAllowed = Code(rawValue: "embeddedKeyNotAllowed")
        /// The header's `typ` is not one the verifier accepts (RFC 8725 §3.11 explicit typing).
        public static let wrongType = Code(rawValue: "wrongType")
        /// No key matches the token's `kid`, or the token has no `kid` and one cannot be chosen safely.
        public static let unknownKey = Code(rawValue: "unknownKey")
        /// The signature does not verify.
        public static let invalidSignature = Code(rawValue: "invalidSignature")
        /// A required claim is missing.
        public static let missingClaim = Code(rawValue: "missingClaim")
        /// A claim has the wrong JSON type (e.g. a non-numeric `exp`).
        public static let invalidClaim = Code(rawValue: "invalidClaim")
        /// `exp` has passed (beyond the leeway).
        public static let expired = Code(rawValue: "expired")
        /// `nbf` is in the future (beyond the leeway).
        public static let notYetValid = Code(rawValue: "notYetValid")
        /// `iat` is in the future (beyond the leeway).
        public static let issuedInFuture = Code(rawValue: "issuedInFuture")
        /// `exp − iat` exceeds the maximum lifetime.
        public static let lifetimeTooLong = Code(rawValue: "lifetimeTooLong")
        /// `iss` is not the expected issuer.
        public static let wrongIssuer = Code(rawValue: "wrongIssuer")
        /// `aud` does not contain the expected audience.
        public static let wrongAudience = Code(rawValue: "wrongAudience")
        /// The token's `jti` has been revoked.
        public static let revoked = Code(rawValue: "revoked")
        /// A key is unusable: too weak, wrong type for its algorithm, or a malformed JWK.
        public static let invalidKey = Code(rawValue: "invalidKey")
        /// The revocation or key store failed; the token is refused (fail closed).
        public static let storeUnavailable = Code(rawValue: "storeUnavailable")
        /// An API key is malformed, unknown, expired, revoked or does not match.
        public static let invalidAPIKey = Code(rawValue: "invalidAPIKey")
        /// A request to issue a token breaks a rule (lifetime above the maximum, missing key…).
        public static let issuanceRefused = Code(rawValue: "issuanceRefused")
    }

    /// What kind of failure this is.
    public let code: Code
    /// A human-readable explanation. Never holds a token, key or secret.
    public let message: String

    /// Creates an error.
    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    /// `code: message`.
    public var description: String { "\(code): \(message)" }

    /// Errors are equal when their codes are equal.
    public static func == (lhs: TokenError, rhs: TokenError) -> Bool { lhs.code == rhs.code }

    /// Hashes the code only, consistent with `==`.
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}

extension TokenError {
    /// The message of an underlying error for a `TokenError`'s own message: a `CryptoError`'s or
    /// `TokenError`'s message without its code, anything else as it describes itself.
    static func reason(_ error: any Error) -> String {
        (error as? CryptoError)?.message ?? (error as? TokenError)?.message ?? "\(error)"
    }

    /// A duration for a message, in whole seconds when it is a modest finite number, else as the
    /// number it is (a token's claims can make it 1e300 or infinite; `Int(_:)` would trap).
    static func seconds(_ interval: TimeInterval) -> String {
        abs(interval) < 1e15 ? "\(Int64(interval.rounded(.towardZero)))" : "\(interval)"
    }

    /// A time for a message: ISO 8601 for the years 1 to 9999, else seconds since 1970.
    static func timestamp(_ date: Date) -> String {
        (-62_135_596_800 ... 253_402_300_799).contains(date.timeIntervalSince1970)
            ? date.formatted(.iso8601) : "\(date.timeIntervalSince1970) s since 1970"
    }
}
