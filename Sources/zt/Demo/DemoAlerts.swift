import ZeroTrustKit

/// Where the demo's anomaly monitor sends alerts, so the transcript can show them.
actor DemoAlerts: AuditSink {
    private(set) var alerts: [Alert] = []

    func write(_ events: [AuditEvent]) async throws {
        for event in events {
            if case .alert(let alert) = event.payload { alerts.append(alert) }
        }
    }
}
