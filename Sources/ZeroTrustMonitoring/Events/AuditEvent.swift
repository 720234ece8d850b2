public import Foundation

/// One audit record: what happened, stamped with a unique id, a UTC time and a sequence number.
///
/// Build events through ``AuditLog/record(_:)``, which stamps them with the log's injected clock
/// and its monotonic sequence; or construct one directly (e.g. when replaying). The native JSON
/// form is documented field by field in Documentation/AuditEvents.md.
///
/// Events hold plain values only. Secrets (token values, API keys, key material) are never stored:
/// use ``SecretFingerprint`` from an ``AuditRedactor`` when an event must stay matchable.
public struct AuditEvent: Sendable, Hashable {
    /// A unique identifier (UUID, written lowercase).
    public var id: UUID
    /// When the event happened, written as RFC 3339 UTC; kept to whole microseconds (rounded when
    /// set) so an event read back from its JSON is equal to the one written.
    public var time: Date {
        get { storedTime }
        set { storedTime = RFC3339.normalized(newValue) }
    }
    private var storedTime: Date
    /// The recording log's monotonic sequence number (1, 2, …); 0 before recording.
    public var sequence: UInt64
    /// What happened.
    public var payload: Payload

    /// Creates an event.
    public init(id: UUID = .random(), time: Date, sequence: UInt64 = 0, payload: Payload) {
        self.id = id
        self.storedTime = RFC3339.normalized(time)
        self.sequence = sequence
        self.payload = payload
    }

    /// The kinds of event, each with its typed details.
    ///
    /// Indirect: an event is copied into every destination's queue and handed between threads, and
    /// one boxed payload costs one reference count per copy where an inline one costs one per string.
    public indirect enum Payload: Sendable, Hashable {
        /// An access request and the decision on it.
        case access(AccessEvent)
        /// An authentication attempt (success or failure).
        case authentication(AuthenticationEvent)
        /// A token issued or revoked.
        case token(TokenEvent)
        /// A key operation (generate, unwrap, rotate, destroy).
        case key(KeyEvent)
        /// A policy set loaded.
        case policyLoad(PolicyLoadEvent)
        /// An alert raised by an anomaly detector.
        case alert(Alert)
        /// A log sink discarded an incomplete final line found after a crash, before continuing.
        case logRecovery(LogRecoveryEvent)

        /// The `type` field of the native JSON form.
        public var typeName: String {
            switch self {
            case .access: "access"
            case .authentication: "authentication"
            case .token: "token"
            case .key: "key"
            case .policyLoad: "policy_load"
            case .alert: "alert"
            case .logRecovery: "log_recovery"
            }
        }
    }

    /// The subject the event is about, when it has one.
    public var subject: String? {
        switch payload {
        case .access(let e): e.subject
        case .authentication(let e): e.subject
        case .token(let e): e.subject
        case .key(let e): e.subject
        case .policyLoad(let e): e.subject
        case .alert(let e): e.subject
        case .logRecovery: nil
        }
    }

    /// The source IP address of the request, when known.
    public var sourceIP: String? {
        switch payload {
        case .access(let e): e.sourceIP
        case .authentication(let e): e.sourceIP
        case .alert(let e): e.sourceIP
        case .token, .key, .policyLoad, .logRecovery: nil
        }
    }
}
