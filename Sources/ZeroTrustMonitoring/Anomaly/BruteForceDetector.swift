public import Foundation

/// Many authentication failures for one subject in a short window: password or key guessing.
/// Default: at least 10 failures within 5 minutes. Alerts once per subject per window.
public actor BruteForceDetector: AnomalyDetector {
    /// Thresholds.
    public struct Configuration: Sendable {
        /// Failures for one subject in the window (default 10).
        public var failures = 10
        /// The window (default 5 minutes).
        public var window: TimeInterval = 5 * 60
        /// Subjects tracked at most (default 10,000).
        public var maximumTracked = 10_000
        /// The defaults.
        public init() {}
    }

    /// `brute_force`.
    public nonisolated let name = "brute_force"
    private let configuration: Configuration
    private var subjects: WindowedCounter

    /// How many keys the detector currently remembers (for memory-bound tests).
    var trackedCount: Int { subjects.count }

    /// A detector with `configuration` (defaults above).
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        subjects = WindowedCounter(span: configuration.window, capacity: configuration.failures * 4,
                                   maximumTracked: configuration.maximumTracked)
    }

    /// Counts authentication failures per subject.
    public func observe(_ event: AuditEvent) -> [Alert] {
        guard case .authentication(let auth) = event.payload, auth.outcome == .failure, let subject = auth.subject else { return [] }
        let configuration = configuration
        guard let window = subjects.add(event, key: subject, detail: auth.sourceIP, fires: { $0.count >= configuration.failures }) else { return [] }
        return [Alert(detector: name, severity: .medium,
                      summary: "\(window.count) failed authentications for \(subject) within \(Int(configuration.window / 60)) min",
                      subject: subject, sourceIP: auth.sourceIP, evidence: window.evidence())]
    }
}
