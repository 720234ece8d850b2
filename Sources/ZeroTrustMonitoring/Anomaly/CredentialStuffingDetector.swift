public import Foundation

/// One source IP failing authentication for many distinct subjects in a short window: a list of
/// stolen credentials being tried. Defaults follow Elastic's rule: at least 25 failures on at least
/// 15 distinct subjects within 15 minutes. Alerts once per IP per window.
public actor CredentialStuffingDetector: AnomalyDetector {
    /// Thresholds.
    public struct Configuration: Sendable {
        /// Failed attempts from one IP in the window (default 25).
        public var attempts = 25
        /// Distinct subjects among them (default 15).
        public var distinctSubjects = 15
        /// The window (default 15 minutes).
        public var window: TimeInterval = 15 * 60
        /// IPs tracked at most (default 10,000).
        public var maximumTracked = 10_000
        /// The defaults.
        public init() {}
    }

    /// `credential_stuffing`.
    public nonisolated let name = "credential_stuffing"
    private let configuration: Configuration
    private var addresses: TrackedTable<(SlidingWindow, Date?)>

    /// How many keys the detector currently remembers (for memory-bound tests).
    var trackedCount: Int { addresses.count }

    /// A detector with `configuration` (defaults above).
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        addresses = TrackedTable(maximum: configuration.maximumTracked, idle: configuration.window)
    }

    /// Counts authentication failures per source IP.
    public func observe(_ event: AuditEvent) -> [Alert] {
        guard case .authentication(let auth) = event.payload, auth.outcome == .failure, let ip = auth.sourceIP else { return [] }
        let configuration = configuration
        let make = { (SlidingWindow(span: configuration.window, capacity: configuration.attempts * 4), nil as Date?) }
        return addresses.update(ip, now: event.time, make: make) { state in
            state.0.add(time: event.time, id: event.id, key: auth.subject ?? "")
            if let last = state.1, event.time.timeIntervalSince(last) < configuration.window { return [] }
            guard state.0.count >= configuration.attempts, state.0.distinctKeys >= configuration.distinctSubjects else { return [] }
            state.1 = event.time
            return [Alert(detector: name, severity: .high,
                          summary: "\(state.0.count) failed authentications for \(state.0.distinctKeys) subjects from \(ip) within \(Int(configuration.window / 60)) min",
                          sourceIP: ip, evidence: state.0.evidence())]
        }
    }
}
