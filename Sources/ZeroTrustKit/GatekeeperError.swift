/// Why a gatekeeper could not be built or configured. Authorization itself never throws.
public struct GatekeeperError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable error code.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The code's text.
        public let rawValue: String
        /// A code.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// The text.
        public var description: String { rawValue }

        /// A configuration value is missing, out of range or inconsistent.
        public static let invalidConfiguration = Code(rawValue: "invalidConfiguration")
        /// A configuration file or a file it names cannot be read or parsed.
        public static let unreadableConfiguration = Code(rawValue: "unreadableConfiguration")
        /// The data operation was authorized but the KMS, the envelope or the audit record of the
        /// key use failed; no data was released.
        public static let dataAccessFailed = Code(rawValue: "dataAccessFailed")
    }

    /// What went wrong.
    public let code: Code
    /// What and where (file, key), never a secret.
    public let message: String

    /// An error.
    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    /// `code: message`.
    public var description: String { "\(code): \(message)" }
}
