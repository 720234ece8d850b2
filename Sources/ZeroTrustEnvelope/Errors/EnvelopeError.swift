/// The one error type of the `ZeroTrustEnvelope` module.
///
/// Match on ``code``: codes are stable, and new ones can be added without breaking the API. The
/// ``message`` says what failed and where (a path, a segment number, a byte offset, a key id) but
/// never holds key material or plaintext.
///
/// ```swift
/// do {
///     let plaintext = try await Envelope.open(sealed, kms: kms)
/// } catch let error as EnvelopeError where error.code == .segmentAuthenticationFailed {
///     // tampered, truncated, reordered or spliced ciphertext
/// }
/// ```
public struct EnvelopeError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable identifier of the kind of failure.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The identifier as written in logs and JSON, e.g. `"segmentAuthenticationFailed"`.
        public let rawValue: String

        /// Creates a code from its identifier.
        public init(rawValue: String) { self.rawValue = rawValue }

        /// The identifier.
        public var description: String { rawValue }

        // Format and integrity.
        /// The bytes are not an envelope header (bad magic, impossible lengths, cut short).
        public static let malformedHeader = Code(rawValue: "malformedHeader")
        /// The header names a format version this library does not read.
        public static let unsupportedVersion = Code(rawValue: "unsupportedVersion")
        /// The header or a wrapped key names an algorithm this library does not know.
        public static let unsupportedAlgorithm = Code(rawValue: "unsupportedAlgorithm")
        /// The key commitment in the header does not match the data key and header fields:
        /// the header was modified, or the data key is not the one the envelope was made with.
        public static let headerAuthenticationFailed = Code(rawValue: "headerAuthenticationFailed")
        /// A segment did not authenticate: modified, reordered, dropped, duplicated, truncated,
        /// extended or taken from another envelope.
        public static let segmentAuthenticationFailed = Code(rawValue: "segmentAuthenticationFailed")
        /// The envelope ends before its final segment (a cut inside a segment's tag, or no body).
        public static let truncated = Code(rawValue: "truncated")
        /// The stored encryption context is not the one the caller requires.
        public static let contextMismatch = Code(rawValue: "contextMismatch")
        /// An encryption context is not acceptable (empty key, too long, not canonical).
        public static let invalidContext = Code(rawValue: "invalidContext")
        /// A parameter is out of range (segment size, byte range, cache limits, key id).
        public static let invalidParameter = Code(rawValue: "invalidParameter")
        /// A requested byte range lies outside the plaintext.
        public static let rangeOutOfBounds = Code(rawValue: "rangeOutOfBounds")

        // Keys.
        /// A wrapped data key is malformed.
        public static let malformedWrappedKey = Code(rawValue: "malformedWrappedKey")
        /// A wrapped key did not unwrap: another key-encryption key, another context, or tampering.
        public static let unwrapFailed = Code(rawValue: "unwrapFailed")
        /// No key with this id exists.
        public static let keyNotFound = Code(rawValue: "keyNotFound")
        /// The key exists but not this version.
        public static let keyVersionNotFound = Code(rawValue: "keyVersionNotFound")
        /// This key version is disabled: it neither wraps nor unwraps until enabled again.
        public static let keyVersionDisabled = Code(rawValue: "keyVersionDisabled")
        /// The key was destroyed (crypto-shredded); what it wrapped can no longer be decrypted.
        public static let keyDestroyed = Code(rawValue: "keyDestroyed")
        /// A key with this id already exists.
        public static let keyExists = Code(rawValue: "keyExists")

        // Key ring and KMS.
        /// The master key or passphrase does not open this keyring.
        public static let wrongMasterKey = Code(rawValue: "wrongMasterKey")
        /// The keyring opens with this master key, but its contents fail their MAC: modified on disk.
        public static let keyringTampered = Code(rawValue: "keyringTampered")
        /// The keyring file is missing, unreadable or not a keyring.
        public static let keyringUnavailable = Code(rawValue: "keyringUnavailable")
        /// A keyring already exists where a new one was to be created.
        public static let keyringExists = Code(rawValue: "keyringExists")
        /// The key management service is unreachable or failed (also what test doubles inject).
        public static let kmsUnavailable = Code(rawValue: "kmsUnavailable")

        // I/O.
        /// Reading or writing a file failed.
        public static let ioError = Code(rawValue: "ioError")
    }

    /// What kind of failure this is.
    public let code: Code
    /// A human-readable explanation with the location of the problem. Never holds secrets.
    public let message: String

    /// Creates an error.
    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    /// `code: message`.
    public var description: String { "\(code): \(message)" }

    /// Errors are equal when their codes are equal, so tests and callers match on the code.
    public static func == (lhs: EnvelopeError, rhs: EnvelopeError) -> Bool { lhs.code == rhs.code }

    /// Hashes the code only, consistent with `==`.
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
