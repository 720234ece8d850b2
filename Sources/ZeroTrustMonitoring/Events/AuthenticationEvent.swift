/// An authentication attempt.
public struct AuthenticationEvent: Sendable, Hashable {
    /// How the client authenticated.
    public enum Method: String, Sendable, Hashable, CaseIterable {
        /// An X.509 client certificate (mTLS).
        case certificate
        /// A bearer token (JWT).
        case token
        /// An API key.
        case apiKey = "api_key"
    }

    /// Whether it succeeded.
    public enum Outcome: String, Sendable, Hashable, CaseIterable {
        /// The client was authenticated.
        case success
        /// The client was not authenticated.
        case failure
    }

    /// The subject claimed or established (may be absent when a credential was unreadable).
    public var subject: String?
    /// The method used.
    public var method: Method
    /// The outcome.
    public var outcome: Outcome
    /// Why it failed (a stable error code such as `expired`), on failure.
    public var failureCode: String?
    /// The client's IP address, when known.
    public var sourceIP: String?
    /// A keyed fingerprint of the credential presented, so attempts stay matchable; never the value.
    public var credential: SecretFingerprint?

    /// Creates an authentication event.
    public init(subject: String?, method: Method, outcome: Outcome, failureCode: String? = nil,
                sourceIP: String? = nil, credential: SecretFingerprint? = nil) {
        self.subject = subject
        self.method = method
        self.outcome = outcome
        self.failureCode = failureCode
        self.sourceIP = sourceIP
        self.credential = credential
    }
}
