/// Delivers anomaly alerts to every configured audit destination's sink, so alerts land where the
/// events that caused them are recorded (a configuration file has no separate alert channel).
struct AlertFanOut: AuditSink {
    let sinks: [any AuditSink]

    func write(_ events: [AuditEvent]) async throws {
        for sink in sinks { try await sink.write(events) }
    }

    func flush() async throws {
        for sink in sinks { try await sink.flush() }
    }
}
