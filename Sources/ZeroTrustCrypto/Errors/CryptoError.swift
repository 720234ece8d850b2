/// The one error type of the `ZeroTrustCrypto` module.
///
/// Match on ``code``: codes are stable, and new ones can be added without breaking the API.
/// The ``message`` says what went wrong and where (a byte offset, a PEM line, a size) but never
/// contains key material or plaintext. When OpenSSL reported the failure, ``openSSLErrors`` holds
/// its drained error queue, oldest first.
///
/// ```swift
/// do {
///     let plaintext = try AES256GCM.open(box, using: key)
/// } catch let error as CryptoError where error.code == .authenticationFailure {
///     // tampered ciphertext, wrong key or wrong associated data
/// }
/// ```
public struct CryptoError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable identifier of the kind of failure.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The identifier as written in logs and JSON, e.g. `"authenticationFailure"`.
        public let rawValue: String

        /// Creates a code from its identifier.
        public init(rawValue: String) { self.rawValue = rawValue }

        /// The identifier.
        public var description: String { rawValue }

        /// A key has the wrong length for the algorithm.
        public static let invalidKeySize = Code(rawValue: "invalidKeySize")
        /// Key bytes do not form a valid key (a point not on the curve, a zero scalar, …).
        public static let invalidKey = Code(rawValue: "invalidKey")
        /// The key is valid but too weak for this library (e.g. RSA below 2048 bits).
        public static let weakKey = Code(rawValue: "weakKey")
        /// The key is of another type or curve than the one asked for.
        public static let keyTypeMismatch = Code(rawValue: "keyTypeMismatch")
        /// A nonce has the wrong length for the algorithm.
        public static let invalidNonceSize = Code(rawValue: "invalidNonceSize")
        /// An authentication tag has the wrong length.
        public static let invalidTagSize = Code(rawValue: "invalidTagSize")
        /// An AEAD ciphertext, tag or associated data did not authenticate.
        public static let authenticationFailure = Code(rawValue: "authenticationFailure")
        /// A message is longer than the algorithm allows under one nonce.
        public static let messageTooLong = Code(rawValue: "messageTooLong")
        /// A key has been used for as many random nonces as NIST SP 800-38D allows.
        public static let nonceLimitReached = Code(rawValue: "nonceLimitReached")
        /// An output buffer is too small, or input and output overlap partially.
        public static let invalidBuffer = Code(rawValue: "invalidBuffer")
        /// A parameter is outside the range the algorithm accepts (an output size, a bit count…).
        public static let invalidParameter = Code(rawValue: "invalidParameter")
        /// A signature is not of the encoding or length expected.
        public static let invalidSignatureEncoding = Code(rawValue: "invalidSignatureEncoding")
        /// PEM text is malformed: no or mismatched armour lines, bad base64, wrong label.
        public static let malformedPEM = Code(rawValue: "malformedPEM")
        /// DER bytes are malformed or have trailing data.
        public static let malformedDER = Code(rawValue: "malformedDER")
        /// Key agreement produced an all-zero secret (a low-order public key, RFC 7748 §6.1).
        public static let keyAgreementFailure = Code(rawValue: "keyAgreementFailure")
        /// Reading or writing a file failed.
        public static let fileError = Code(rawValue: "fileError")
        /// OpenSSL or libsodium failed in a way no input explains (usually memory exhaustion).
        public static let libraryFailure = Code(rawValue: "libraryFailure")
    }

    /// What kind of failure this is.
    public let code: Code
    /// A human-readable explanation with the location of the problem. Never holds secrets.
    public let message: String
    /// OpenSSL's error queue at the time of failure, oldest first; empty when OpenSSL was not involved.
    public let openSSLErrors: [String]

    /// Creates an error.
    public init(code: Code, message: String, openSSLErrors: [String] = []) {
        self.code = code
        self.message = message
        self.openSSLErrors = openSSLErrors
    }

    /// `code: message`, followed by OpenSSL's errors when there are any.
    public var description: String {
        if openSSLErrors.isEmpty { return "\(code): \(message)" }
        return "\(code): \(message) [OpenSSL: \(openSSLErrors.joined(separator: "; "))]"
    }

    /// Errors are equal when their codes are equal, so tests and callers match on the code.
    public static func == (lhs: CryptoError, rhs: CryptoError) -> Bool { lhs.code == rhs.code }

    /// Hashes the code only, consistent with `==`.
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
