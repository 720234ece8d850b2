public import Foundation

/// A subject making far more requests (or moving far more bytes) in a window than its own baseline:
/// exfiltration or a runaway job. Per subject and per window (default 1 hour), keeps an
/// exponentially weighted mean and variance of past windows (smoothing 0.2, seeded by the first
/// window; σ at least √mean and 10% of the mean) and alerts when the current window exceeds mean + z·σ (default z = 3)
/// *and* an absolute floor (default 100 requests
/// or 100 MiB), once the subject has at least 6 past windows. Quiet windows count as zero.
/// At most one alert per subject per window.
public actor UnusualVolumeDetector: AnomalyDetector {
    /// Thresholds.
    public struct Configuration: Sendable {
        /// The window (default 1 hour).
        public var window: TimeInterval = 3600
        /// How many standard deviations above the mean is unusual (default 3).
        public var zScore = 3.0
        /// Requests in a window below which nothing is reported (default 100).
        public var minimumRequests = 100
        /// Bytes in a window below which nothing is reported (default 100 MiB).
        public var minimumBytes = 100 * 1024 * 1024
        /// EWMA smoothing factor (default 0.2).
        public var smoothing = 0.2
        /// Past windows needed before a subject is judged (default 6).
        public var minimumWindows = 6
        /// Subjects tracked at most (default 10,000).
        public var maximumTracked = 10_000
        /// The defaults.
        public init() {}
    }

    private struct Baseline {
        var mean = 0.0
        var variance = 0.0
        var started = false

        mutating func add(_ value: Double, smoothing: Double) {
            // The first window seeds the mean, rather than dragging it up from zero for hours.
            guard started else { mean = value; started = true; return }
            let difference = value - mean
            let increment = smoothing * difference
            mean += increment
            variance = (1 - smoothing) * (variance + difference * increment)
        }

        /// σ is at least √mean (Poisson noise of a steady rate) and 10% of the mean (an EWMA
        /// variance from a few windows underestimates the spread), so ordinary wobble stays quiet.
        func isUnusual(_ value: Double, z: Double) -> Bool {
            value > mean + z * max(variance.squareRoot(), mean.squareRoot(), mean * 0.1, 1)
        }
    }

    private struct State {
        var window: Int
        var requests = 0
        var bytes = 0
        var requestBaseline = Baseline()
        var byteBaseline = Baseline()
        var windowsSeen = 0
        var alerted = false
        var evidence: [UUID] = []
    }

    /// `unusual_volume`.
    public nonisolated let name = "unusual_volume"
    private let configuration: Configuration
    private var subjects: TrackedTable<State>

    /// How many keys the detector currently remembers (for memory-bound tests).
    var trackedCount: Int { subjects.count }

    /// A detector with `configuration` (defaults above).
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        subjects = TrackedTable(maximum: configuration.maximumTracked, idle: configuration.window * 48)
    }

    /// Adds the access to the subject's current window and compares it with the baseline.
    public func observe(_ event: AuditEvent) -> [Alert] {
        guard case .access(let access) = event.payload else { return [] }
        let configuration = configuration
        let window = Int((event.time.timeIntervalSince1970 / configuration.window).rounded(.down))
        return subjects.update(access.subject, now: event.time, make: { State(window: window) }) { state in
            if window > state.window {
                // Close the finished window, then count the quiet ones in between (at most a week's worth).
                state.requestBaseline.add(Double(state.requests), smoothing: configuration.smoothing)
                state.byteBaseline.add(Double(state.bytes), smoothing: configuration.smoothing)
                for _ in 0..<min(window - state.window - 1, 168) {
                    state.requestBaseline.add(0, smoothing: configuration.smoothing)
                    state.byteBaseline.add(0, smoothing: configuration.smoothing)
                }
                state.windowsSeen += min(window - state.window, 169)
                state.window = window
                state.requests = 0
                state.bytes = 0
                state.alerted = false
                state.evidence = []
            }
            state.requests += 1
            state.bytes += max(0, access.bytes ?? 0)
            state.evidence.append(event.id)
            if state.evidence.count > 20 { state.evidence.removeFirst() }
            guard !state.alerted, state.windowsSeen >= configuration.minimumWindows else { return [] }
            let requestsUnusual = state.requests >= configuration.minimumRequests
                && state.requestBaseline.isUnusual(Double(state.requests), z: configuration.zScore)
            let bytesUnusual = state.bytes >= configuration.minimumBytes
                && state.byteBaseline.isUnusual(Double(state.bytes), z: configuration.zScore)
            guard requestsUnusual || bytesUnusual else { return [] }
            state.alerted = true
            let what = requestsUnusual
                ? "\(state.requests) requests (baseline \(Int(state.requestBaseline.mean.rounded())))"
                : "\(state.bytes) bytes (baseline \(Int(state.byteBaseline.mean.rounded())))"
            return [Alert(detector: name, severity: .medium,
                          summary: "\(access.subject) made \(what) in one \(Int(configuration.window / 60)) min window",
                          subject: access.subject, sourceIP: access.sourceIP, evidence: state.evidence)]
        }
    }
}
