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
    private var addresses: WindowedCounter

    /// How many keys the detector currently remembers (for memory-bound tests).
    var trackedCount: Int { addresses.count }

    /// A detector with `configuration` (defaults above).
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        addresses = WindowedCounter(span: configuration.window, capacity: configuration.attempts * 4,
                                   maximumTracked: configuration.maximumTracked)
    }

    /// Counts authentication failures per source IP.
    public func observe(_ event: AuditEvent) -> [Alert] {
        guard case .authentication(let auth) = event.payload, auth.outcome == .failure, let ip = auth.sourceIP else { return [] }
        let configuration = configuration
        guard let window = addresses.add(event, key: ip, detail: auth.subject ?? "", fires: {
            $0.count >= configuration.attempts && $0.distinctKeys >= configuration.distinctSubjects
        }) else { return [] }
        return [Alert(detector: name, severity: .high,
                      summary: "\(window.count) failed authentications for \(window.distinctKeys) subjects from \(ip) within \(Int(configuration.window / 60)) min",
                      sourceIP: ip, evidence: window.evidence())]
    }
}
