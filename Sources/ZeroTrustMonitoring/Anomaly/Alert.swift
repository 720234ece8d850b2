public import Foundation

/// An anomaly found by an ``AnomalyDetector``.
public struct Alert: Sendable, Hashable {
    /// How urgent the alert is.
    public enum Severity: String, Sendable, Hashable, CaseIterable, Comparable {
        /// Worth a look.
        case low
        /// Likely an attack or misuse.
        case medium
        /// An attack in progress.
        case high

        private var rank: Int { Self.allCases.firstIndex(of: self) ?? 0 }
        /// Orders by urgency.
        public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
    }

    /// The detector's name (`credential_stuffing`, `brute_force`, `unusual_time`, `unusual_volume`,
    /// `denied_burst`).
    public var detector: String
    /// Urgency.
    public var severity: Severity
    /// One sentence saying what was seen.
    public var summary: String
    /// The subject concerned, when there is one.
    public var subject: String?
    /// The source IP concerned, when there is one.
    public var sourceIP: String?
    /// The ids of the events that triggered the alert (bounded; the most recent ones).
    public var evidence: [UUID]

    /// Creates an alert.
    public init(detector: String, severity: Severity, summary: String, subject: String? = nil,
                sourceIP: String? = nil, evidence: [UUID] = []) {
        self.detector = detector
        self.severity = severity
        self.summary = summary
        self.subject = subject
        self.sourceIP = sourceIP
        self.evidence = evidence
    }
}
