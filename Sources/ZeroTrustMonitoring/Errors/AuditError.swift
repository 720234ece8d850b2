/// The one error type of the `ZeroTrustMonitoring` module.
///
/// Match on ``code``: codes are stable and new ones never break the API. The ``message`` says what
/// went wrong and where (a path, a line, a record number, a byte offset) and never contains a secret.
/// Verification failures also carry the 1-based ``record`` number of the first bad record.
///
/// ```swift
/// do {
///     _ = try AuditLogVerifier(publicKey: key).verify(logAt: path)
/// } catch let error as AuditError where error.code == .chainBroken {
///     print("tampered at record", error.record ?? 0)
/// }
/// ```
public struct AuditError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable identifier of the kind of failure.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The identifier as written in JSON, e.g. `"chainBroken"`.
        public let rawValue: String
        /// Creates a code from its identifier.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// The identifier.
        public var description: String { rawValue }

        /// An event (JSON or typed) is malformed or misses a required field.
        public static let invalidEvent = Code(rawValue: "invalidEvent")
        /// A file could not be opened, read, written, synced or renamed.
        public static let io = Code(rawValue: "io")
        /// A sink failed to record an event that a strict destination required.
        public static let deliveryFailed = Code(rawValue: "deliveryFailed")
        /// The log was closed; nothing more can be recorded.
        public static let closed = Code(rawValue: "closed")
        /// A log or checkpoint line is not in the documented format (or has an unknown version).
        public static let malformedRecord = Code(rawValue: "malformedRecord")
        /// A record's hash does not match its content: the record was modified.
        public static let recordModified = Code(rawValue: "recordModified")
        /// A record's number or previous-hash link does not follow from the record before it:
        /// records were deleted, inserted or reordered.
        public static let chainBroken = Code(rawValue: "chainBroken")
        /// A checkpoint's signature does not verify under the public key.
        public static let badCheckpointSignature = Code(rawValue: "badCheckpointSignature")
        /// A signed checkpoint disagrees with the chain (its head hash or log id differs).
        public static let checkpointMismatch = Code(rawValue: "checkpointMismatch")
        /// The log has fewer records than a signed checkpoint covers: it was truncated.
        public static let truncated = Code(rawValue: "truncated")
        /// The last line of the log is incomplete (a crash during a write).
        public static let tornTail = Code(rawValue: "tornTail")
        /// The log has no checkpoint file, or the checkpoint file has no checkpoint.
        public static let missingCheckpoint = Code(rawValue: "missingCheckpoint")
        /// A key (HMAC or signing) is missing, of the wrong kind, or does not match the log.
        public static let keyMismatch = Code(rawValue: "keyMismatch")
        /// A network sink could not connect or send.
        public static let transport = Code(rawValue: "transport")
        /// A configuration value is out of range.
        public static let invalidConfiguration = Code(rawValue: "invalidConfiguration")
    }

    /// What kind of failure this is.
    public let code: Code
    /// A human-readable explanation with its location; never contains a secret.
    public let message: String
    /// The 1-based number of the first bad record, when the failure concerns one.
    public let record: Int?
    /// The byte offset in the log file where the bad record starts, when known.
    public let byteOffset: Int?

    /// Creates an error.
    public init(code: Code, message: String, record: Int? = nil, byteOffset: Int? = nil) {
        self.code = code
        self.message = message
        self.record = record
        self.byteOffset = byteOffset
    }

    /// `code: message`.
    public var description: String { "\(code): \(message)" }
}
