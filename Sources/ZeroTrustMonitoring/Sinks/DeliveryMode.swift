/// How ``AuditLog`` treats one destination, after Kubernetes' audit backends.
public enum DeliveryMode: String, Sendable, Hashable, CaseIterable {
    /// ``AuditLog/record(_:)`` returns only after this sink has written the event, and throws if it
    /// could not: the caller must then refuse the audited action (fail closed).
    case strict
    /// The event is queued; when the queue is full, `record` waits for room (backpressure).
    /// Sink failures are counted, not thrown.
    case blocking
    /// The event is queued; when the queue is full it is dropped and counted. Sink failures are
    /// counted, not thrown. For best-effort mirrors (SIEM forwarding, stdout).
    case batch
}
