/// Where audit events go: a file, a socket, a SIEM, a test buffer.
///
/// ``AuditLog`` calls ``write(_:)`` from one task at a time per sink, with events in sequence order,
/// in batches. A sink throws when it could not record the batch; for a strict destination that
/// failure becomes the caller's. `write` returning means the sink has the events as durably as it
/// promises (the file sink's ``FsyncPolicy``, a TCP send, …).
///
/// ```swift
/// struct PrintSink: AuditSink {
///     func write(_ events: [AuditEvent]) async throws {
///         for event in events { print(String(decoding: JSONLinesEncoder().encode(event), as: UTF8.self)) }
///     }
/// }
/// ```
public protocol AuditSink: Sendable {
    /// Records a batch of events, in order.
    func write(_ events: [AuditEvent]) async throws
    /// Makes everything written so far durable.
    func flush() async throws
    /// Flushes and releases resources; later writes fail.
    func close() async throws
}

extension AuditSink {
    /// Nothing to flush by default.
    public func flush() async throws {}
    /// Nothing to release by default.
    public func close() async throws {}
}
