/// Runs detectors over the events an ``AuditLog`` delivers and sends the alerts, as
/// ``AuditEvent/Payload/alert(_:)`` events, to an alert sink (which may be another ``AuditLog``
/// destination or a pager). Plug it into the log as a ``DeliveryMode/batch`` destination so
/// detection never slows the request path.
///
/// ```swift
/// let monitor = AnomalyMonitor(alertSink: StandardOutputSink())
/// let log = AuditLog(destinations: [AuditDestination(name: "detect", sink: monitor, mode: .batch)])
/// ```
public struct AnomalyMonitor: AuditSink {
    private let detectors: [any AnomalyDetector]
    private let alertSink: any AuditSink

    /// A monitor running `detectors` (by default every detector with its default thresholds).
    public init(detectors: [any AnomalyDetector] = defaultAnomalyDetectors(), alertSink: any AuditSink) {
        self.detectors = detectors
        self.alertSink = alertSink
    }

    /// Feeds the events to every detector (alert events are not re-analysed) and forwards the alerts,
    /// stamped with the triggering event's time.
    public func write(_ events: [AuditEvent]) async throws {
        var alerts: [AuditEvent] = []
        for event in events {
            if case .alert = event.payload { continue }
            for detector in detectors {
                for alert in await detector.observe(event) {
                    alerts.append(AuditEvent(time: event.time, payload: .alert(alert)))
                }
            }
        }
        if !alerts.isEmpty { try await alertSink.write(alerts) }
    }

    /// Flushes the alert sink.
    public func flush() async throws { try await alertSink.flush() }
}
