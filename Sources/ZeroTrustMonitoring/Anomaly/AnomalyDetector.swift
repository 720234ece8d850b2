/// Watches the event stream for one attack pattern and raises ``Alert``s.
///
/// Detectors take their notion of "now" from the events' times (the clock injected into the
/// ``AuditLog``), so a recorded log replays exactly. They are actors: safe to feed from many
/// tasks. Each keeps bounded memory, forgetting subjects and addresses idle for longer than its
/// window once it tracks more than its `maximumTracked`.
public protocol AnomalyDetector: Sendable {
    /// The detector's name, as written in ``Alert/detector``.
    var name: String { get }
    /// Looks at one event; returns the alerts it triggers (usually none).
    func observe(_ event: AuditEvent) async -> [Alert]
}

/// The detectors with their documented default thresholds.
public func defaultAnomalyDetectors() -> [any AnomalyDetector] {
    [CredentialStuffingDetector(), BruteForceDetector(), UnusualTimeDetector(), UnusualVolumeDetector(), DeniedBurstDetector()]
}
