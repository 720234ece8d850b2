public import Foundation

/// A subject acting at an hour it is not seen active in. Learns a 24-hour histogram per subject
/// (from access events and successful authentications) and, once a subject has at least
/// ``Configuration/minimumHistory`` events, alerts when the hour of an event together with its two
/// neighbouring hours holds less than ``Configuration/minimumShare`` of the subject's history.
/// Optionally also alerts on any activity outside fixed ``Configuration/businessHours``.
/// At most one alert per subject per clock hour.
public actor UnusualTimeDetector: AnomalyDetector {
    /// Thresholds.
    public struct Configuration: Sendable {
        /// Events a subject needs before its own hours are judged (default 100).
        public var minimumHistory = 100
        /// The share of history below which an hour (±1) is unusual (default 0.01, i.e. 1%).
        public var minimumShare = 0.01
        /// Fixed business hours, e.g. `8..<19`; nil (the default) judges by learned hours only.
        public var businessHours: Range<Int>?
        /// Offset from UTC of the local day, in seconds (default 0).
        public var utcOffset: TimeInterval = 0
        /// Subjects tracked at most (default 10,000).
        public var maximumTracked = 10_000
        /// Subjects idle this long are forgotten first when over the limit (default 30 days).
        public var idle: TimeInterval = 30 * 86_400
        /// The defaults.
        public init() {}
    }

    private struct History {
        var hours = [Int](repeating: 0, count: 24)
        var total = 0
        var lastAlertHour: Int?
    }

    /// `unusual_time`.
    public nonisolated let name = "unusual_time"
    private let configuration: Configuration
    private var subjects: TrackedTable<History>

    /// How many keys the detector currently remembers (for memory-bound tests).
    var trackedCount: Int { subjects.count }

    /// A detector with `configuration` (defaults above).
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        subjects = TrackedTable(maximum: configuration.maximumTracked, idle: configuration.idle)
    }

    /// Checks the event's hour against the subject's history, then learns from it.
    public func observe(_ event: AuditEvent) -> [Alert] {
        let subject: String
        switch event.payload {
        case .access(let access): subject = access.subject
        case .authentication(let auth) where auth.outcome == .success && auth.subject != nil: subject = auth.subject ?? ""
        default: return []
        }
        let configuration = configuration
        let local = event.time.timeIntervalSince1970 + configuration.utcOffset
        let absoluteHour = Int((local / 3600).rounded(.down))
        let hour = ((absoluteHour % 24) + 24) % 24
        return subjects.update(subject, now: event.time, make: History.init) { history in
            defer { history.hours[hour] += 1; history.total += 1 }
            guard history.lastAlertHour != absoluteHour else { return [] }
            var reason: String?
            if let business = configuration.businessHours, !business.contains(hour) {
                reason = "outside business hours \(business.lowerBound):00–\(business.upperBound):00"
            } else if history.total >= configuration.minimumHistory {
                let band = history.hours[(hour + 23) % 24] + history.hours[hour] + history.hours[(hour + 1) % 24]
                if Double(band) < configuration.minimumShare * Double(history.total) {
                    reason = "outside its usual hours (\(band) of its \(history.total) past events fell in \(hour)±1 h)"
                }
            }
            guard let reason else { return [] }
            history.lastAlertHour = absoluteHour
            return [Alert(detector: name, severity: .low, summary: "\(subject) active at \(hour):00, \(reason)",
                          subject: subject, sourceIP: event.sourceIP, evidence: [event.id])]
        }
    }
}
