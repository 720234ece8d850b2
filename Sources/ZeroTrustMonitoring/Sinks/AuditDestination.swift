/// One sink of an ``AuditLog`` with its name (used in metrics and errors) and delivery mode.
public struct AuditDestination: Sendable {
    /// A short, stable name such as `file` or `siem` (a metrics dimension; never user data).
    public var name: String
    /// The sink.
    public var sink: any AuditSink
    /// How delivery failures and full queues are handled.
    public var mode: DeliveryMode

    /// Creates a destination.
    public init(name: String, sink: any AuditSink, mode: DeliveryMode) {
        self.name = name
        self.sink = sink
        self.mode = mode
    }
}
