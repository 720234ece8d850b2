public import Foundation

/// One subject collecting many access denials in a short window: probing for what it can reach.
/// Default: at least 10 denials within 1 minute. Alerts once per subject per window.
public actor DeniedBurstDetector: AnomalyDetector {
    /// Thresholds.
    public struct Configuration: Sendable {
        /// Denials for one subject in the window (default 10).
        public var denials = 10
        /// The window (default 1 minute).
        public var window: TimeInterval = 60
        /// Subjects tracked at most (default 10,000).
        public var maximumTracked = 10_000
        /// The defaults.
        public init() {}
    }

    /// `denied_burst`.
    public nonisolated let name = "denied_burst"
    private let configuration: Configuration
    private var subjects: WindowedCounter

    /// How many keys the detector currently remembers (for memory-bound tests).
    var trackedCount: Int { subjects.count }

    /// A detector with `configuration` (defaults above).
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        subjects = WindowedCounter(span: configuration.window, capacity: configuration.denials * 4,
                                   maximumTracked: configuration.maximumTracked)
    }

    /// Counts denied access requests per subject.
    public func observe(_ event: AuditEvent) -> [Alert] {
        guard case .access(let access) = event.payload, access.decision == .deny else { return [] }
        let configuration = configuration
        guard let window = subjects.add(event, key: access.subject, detail: "\(access.resourceType)/\(access.resourceID)", fires: { $0.count >= configuration.denials }) else { return [] }
        return [Alert(detector: name, severity: .medium,
                      summary: "\(access.subject) was denied \(window.count) times (\(window.distinctKeys) resources) within \(Int(configuration.window)) s",
                      subject: access.subject, sourceIP: access.sourceIP, evidence: window.evidence())]
    }
}
