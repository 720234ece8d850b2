/// An operation on a key. Key material never appears; the key is named by its id.
public struct KeyEvent: Sendable, Hashable {
    /// The operation.
    public enum Operation: String, Sendable, Hashable, CaseIterable {
        /// A key was generated.
        case generate
        /// A data key was unwrapped (decrypted) by a key-encryption key.
        case unwrap
        /// A key was rotated.
        case rotate
        /// A key was destroyed.
        case destroy
    }

    /// The operation.
    public var operation: Operation
    /// The key's identifier.
    public var keyID: String
    /// The encryption context or other non-secret labels of the operation.
    public var context: [String: String]
    /// Who asked, when known.
    public var subject: String?
    /// Whether the operation succeeded.
    public var succeeded: Bool

    /// Creates a key event.
    public init(operation: Operation, keyID: String, context: [String: String] = [:], subject: String? = nil,
                succeeded: Bool = true) {
        self.operation = operation
        self.keyID = keyID
        self.context = context
        self.subject = subject
        self.succeeded = succeeded
    }
}
