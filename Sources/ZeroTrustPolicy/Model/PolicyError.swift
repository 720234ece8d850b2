/// The single error type of `ZeroTrustPolicy`.
///
/// Match on ``code``: new codes never break the API. A policy file that fails validation throws
/// one `PolicyError` with code ``Code/invalidPolicy`` whose ``problems`` list every problem found,
/// each with its line and column.
///
/// ```swift
/// do { _ = try PolicyLoader.load(yaml: text) }
/// catch let error as PolicyError where error.code == .invalidPolicy {
///     for problem in error.problems { print("\(problem.line ?? 0):\(problem.column ?? 0): \(problem.message)") }
/// }
/// ```
public struct PolicyError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A machine-readable error code. Codes are compared by their raw value.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The stable textual code, for example `"unknown_key"`.
        public let rawValue: String
        /// Creates a code from its stable textual form.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// The textual code.
        public var description: String { rawValue }

        /// A policy file failed validation; see ``PolicyError/problems``.
        public static let invalidPolicy = Code(rawValue: "invalid_policy")
        /// The YAML text could not be parsed.
        public static let syntaxError = Code(rawValue: "syntax_error")
        /// A mapping holds a key the schema does not define.
        public static let unknownKey = Code(rawValue: "unknown_key")
        /// A mapping holds the same key twice.
        public static let duplicateKey = Code(rawValue: "duplicate_key")
        /// Two policies share an `id`.
        public static let duplicateID = Code(rawValue: "duplicate_id")
        /// A condition entry names a condition type the language does not define.
        public static let unknownCondition = Code(rawValue: "unknown_condition")
        /// An `ip_range` value is not a valid CIDR block.
        public static let invalidCIDR = Code(rawValue: "invalid_cidr")
        /// A `time_window` condition names a window that is neither declared nor built in.
        public static let unknownTimeWindow = Code(rawValue: "unknown_time_window")
        /// A time of day is not `HH:MM` between `00:00` and `24:00`, or the window ends before it starts.
        public static let invalidTime = Code(rawValue: "invalid_time")
        /// A day is not one of `mon`…`sun`.
        public static let invalidDay = Code(rawValue: "invalid_day")
        /// A timezone identifier is unknown.
        public static let unknownTimeZone = Code(rawValue: "unknown_timezone")
        /// A policy lists no actions.
        public static let emptyActions = Code(rawValue: "empty_actions")
        /// A policy lists no resources.
        public static let emptyResources = Code(rawValue: "empty_resources")
        /// A value has the wrong YAML type (for example a mapping where a list is expected).
        public static let typeMismatch = Code(rawValue: "type_mismatch")
        /// A required field is missing.
        public static let missingField = Code(rawValue: "missing_field")
        /// A value is of the right type but not allowed (for example a negative `ttl`).
        public static let invalidValue = Code(rawValue: "invalid_value")
        /// The file declares a `version` this library does not understand.
        public static let unsupportedVersion = Code(rawValue: "unsupported_version")
        /// An access request is malformed (for example a bad `context.ip` or `context.time`).
        public static let invalidRequest = Code(rawValue: "invalid_request")
        /// A policy test file is malformed.
        public static let invalidTestFile = Code(rawValue: "invalid_test_file")
        /// A file could not be read.
        public static let unreadableFile = Code(rawValue: "unreadable_file")
    }

    /// One problem found while validating a policy file.
    public struct Problem: Sendable, Hashable, CustomStringConvertible {
        /// What kind of problem this is.
        public var code: Code
        /// A human-readable explanation naming the offending value.
        public var message: String
        /// The 1-based line of the offending node, when known.
        public var line: Int?
        /// The 1-based column of the offending node, when known.
        public var column: Int?

        /// Creates a problem.
        public init(code: Code, message: String, line: Int? = nil, column: Int? = nil) {
            self.code = code
            self.message = message
            self.line = line
            self.column = column
        }

        /// `LINE:COL: message (code)`, or just the message when the location is unknown.
        public var description: String {
            if let line, let column { return "\(line):\(column): \(message)" }
            return message
        }
    }

    /// What kind of error this is.
    public var code: Code
    /// A human-readable explanation.
    public var message: String
    /// The 1-based line of the (first) problem, when known.
    public var line: Int?
    /// The 1-based column of the (first) problem, when known.
    public var column: Int?
    /// Every problem found, in document order (empty for errors that are not about a document).
    public var problems: [Problem]

    /// Creates an error.
    public init(code: Code, message: String, line: Int? = nil, column: Int? = nil, problems: [Problem] = []) {
        self.code = code
        self.message = message
        self.line = line
        self.column = column
        self.problems = problems
    }

    /// Creates an error from one problem.
    init(_ problem: Problem) {
        self.init(code: problem.code, message: problem.message, line: problem.line, column: problem.column, problems: [problem])
    }

    /// Errors are equal when their codes are, so tests and callers can match on the code
    /// (`error == PolicyError(code: .invalidCIDR, message: "")`); compare fields for more.
    public static func == (lhs: PolicyError, rhs: PolicyError) -> Bool { lhs.code == rhs.code }

    /// Hashes the code only, consistent with `==`.
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    /// A one-line summary, with the location when known.
    public var description: String {
        if let line, let column { return "PolicyError(\(code)) at \(line):\(column): \(message)" }
        return "PolicyError(\(code)): \(message)"
    }
}
