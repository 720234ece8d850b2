/// Turns an event into one line of an output format (without the trailing newline).
///
/// ``JSONLinesEncoder`` writes the native schema, ``OCSFEncoder`` OCSF 1.7 JSON, ``CEFEncoder``
/// ArcSight CEF. Encoders are pure and `Sendable`; share one across tasks.
public protocol AuditEventEncoder: Sendable {
    /// The encoded line, UTF-8, with no newline.
    func encode(_ event: AuditEvent) -> [UInt8]
}
