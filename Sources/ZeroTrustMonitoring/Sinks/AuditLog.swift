public import Foundation
import Metrics

/// The front door of audit logging: stamps events (UUID, injected clock, monotonic sequence) and
/// fans them out to destinations, each with a bounded queue, a worker that writes in batches, and
/// a ``DeliveryMode``.
///
/// `record` returns once every ``DeliveryMode/strict`` destination has the event and throws
/// ``AuditError/Code/deliveryFailed`` when one of them could not record it, so the caller can
/// refuse the action it was about to allow. Queues keep sequence order per destination; strict
/// events that arrive together are written together (group commit: one write and one sync).
///
/// Metrics (swift-metrics; only the destination name as a dimension, never users or IPs):
/// `zt_audit_events_total`, `zt_audit_dropped_total`, `zt_audit_sink_errors_total`,
/// `zt_audit_queue_depth` (gauge) and `zt_audit_write_duration` (timer), per destination.
///
/// ```swift
/// let log = AuditLog(destinations: [
///     AuditDestination(name: "file", sink: fileSink, mode: .strict),
///     AuditDestination(name: "siem", sink: syslogSink, mode: .batch),
/// ])
/// try await log.record(.access(AccessEvent(subject: "alice", resourceType: "model", resourceID: "m1",
///                                          action: "read", decision: .permit)))
/// ```
public actor AuditLog {
    /// False when the log has no destinations: ``record(_:)`` then returns at once, without even
    /// building the payload, and allocates nothing.
    public nonisolated let isEnabled: Bool
    private let clock: @Sendable () -> Date
    private let capacity: Int
    private let maximumBatch: Int
    private var lanes: [Lane]
    private var sequence: UInt64 = 0
    private var closed = false
    private var spaceWaiters: [CheckedContinuation<Void, Never>] = []
    private var idleWaiters: [CheckedContinuation<Void, Never>] = []
    private let recorded = Counter(label: "zt_audit_recorded_total")

    /// A log with no destinations: recording is a no-op that allocates nothing.
    public static let disabled = AuditLog(destinations: [])

    /// Creates a log.
    ///
    /// - Parameters:
    ///   - destinations: where events go.
    ///   - queueCapacity: events each destination's queue holds before backpressure or drops.
    ///   - maximumBatch: the most events handed to one `write` call.
    ///   - clock: stamps events; inject a fixed or stepping clock in tests.
    public init(destinations: [AuditDestination], queueCapacity: Int = 10_000, maximumBatch: Int = 512,
                clock: @escaping @Sendable () -> Date = { Date() }) {
        isEnabled = !destinations.isEmpty
        self.clock = clock
        capacity = max(1, queueCapacity)
        self.maximumBatch = max(1, maximumBatch)
        lanes = destinations.map(Lane.init)
    }

    /// Stamps and records an event built from `payload`. Returns the stamped event, or nil when
    /// the log is disabled (``isEnabled`` false; `payload` is then not evaluated).
    @discardableResult
    public nonisolated func record(_ payload: @autoclosure () -> AuditEvent.Payload) async throws -> AuditEvent? {
        guard isEnabled else { return nil }
        // The time is read on the actor together with the sequence, so both increase together.
        return try await record(event: AuditEvent(time: Date(timeIntervalSince1970: 0), payload: payload()), keepingTime: false)
    }

    /// Records an already-built event (replayed or received from another process): its id and time
    /// are kept, its sequence is replaced by this log's.
    @discardableResult
    public func record(event: AuditEvent) async throws -> AuditEvent {
        try await record(event: event, keepingTime: true)
    }

    private func record(event: AuditEvent, keepingTime: Bool) async throws -> AuditEvent {
        // Wait for room in every backpressured queue first, then stamp and enqueue without
        // suspending, so every queue receives events in sequence order.
        while !closed, lanes.contains(where: { $0.destination.mode != .batch && $0.queue.count >= capacity }) {
            await withCheckedContinuation { spaceWaiters.append($0) }
        }
        guard !closed else { throw AuditError(code: .closed, message: "the audit log is closed") }
        var event = event
        sequence += 1
        event.sequence = sequence
        if !keepingTime { event.time = clock() }
        recorded.increment()
        let stamped = event
        let strictCount = lanes.count { $0.destination.mode == .strict }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let ack = strictCount > 0 ? Acknowledgement(remaining: strictCount, continuation: continuation) : nil
            for index in lanes.indices {
                if lanes[index].destination.mode == .batch && lanes[index].queue.count >= capacity {
                    lanes[index].dropped += 1
                    lanes[index].metrics.dropped.increment()
                    continue
                }
                lanes[index].queue.append(Pending(event: stamped, ack: lanes[index].destination.mode == .strict ? ack : nil))
                lanes[index].metrics.depth.record(lanes[index].queue.count)
                startDraining(index)
            }
            if ack == nil { continuation.resume() }
        }
        return stamped
    }

    /// Waits until every queued event has been handed to its sink, then flushes every sink.
    /// Throws the first flush failure of a strict destination.
    public func flush() async throws {
        while lanes.contains(where: \.draining) {
            await withCheckedContinuation { idleWaiters.append($0) }
        }
        for index in lanes.indices {
            let destination = lanes[index].destination
            do {
                try await destination.sink.flush()
            } catch where destination.mode != .strict {
                lanes[index].failures += 1
                lanes[index].metrics.errors.increment()
            }
        }
    }

    /// Refuses new events, flushes what was already recorded, then closes every sink. `record`
    /// calls that reach the log once `close` has begun (even while its flush is still running)
    /// throw ``AuditError/Code/closed``, so no event can reach a sink after it is closed.
    public func close() async throws {
        // Closed first: flush() suspends on the sinks, and a record arriving then would otherwise
        // start a drain that outlives the flush and writes to a closed sink.
        closed = true
        for waiter in spaceWaiters { waiter.resume() }
        spaceWaiters = []
        try await flush()
        var firstError: (any Error)?
        for lane in lanes {
            do { try await lane.destination.sink.close() } catch { if firstError == nil { firstError = error } }
        }
        if let firstError { throw firstError }
    }

    /// How many events the named destination dropped because its queue was full.
    public func droppedCount(destination name: String) -> Int {
        lanes.first { $0.destination.name == name }?.dropped ?? 0
    }

    /// How many writes (and flushes) to the named destination failed.
    public func failureCount(destination name: String) -> Int {
        lanes.first { $0.destination.name == name }?.failures ?? 0
    }

    /// Events waiting in the named destination's queue.
    public func queueDepth(destination name: String) -> Int {
        lanes.first { $0.destination.name == name }?.queue.count ?? 0
    }

    // MARK: - Workers

    private func startDraining(_ index: Int) {
        guard !lanes[index].draining else { return }
        lanes[index].draining = true
        Task { await self.drain(index) }
    }

    private func drain(_ index: Int) async {
        while !lanes[index].queue.isEmpty {
            let count = min(maximumBatch, lanes[index].queue.count)
            let batch = Array(lanes[index].queue.prefix(count))
            lanes[index].queue.removeFirst(count)
            lanes[index].metrics.depth.record(lanes[index].queue.count)
            let waiters = spaceWaiters
            spaceWaiters = []
            for waiter in waiters { waiter.resume() }
            let destination = lanes[index].destination
            let started = ContinuousClock.now
            var failure: (any Error)?
            do {
                try await destination.sink.write(batch.map(\.event))
                lanes[index].metrics.events.increment(by: batch.count)
            } catch {
                failure = AuditError(code: .deliveryFailed, message: "audit sink \(destination.name) failed to record \(batch.count) event(s): \(error)")
                lanes[index].failures += 1
                lanes[index].metrics.errors.increment()
            }
            let elapsed = ContinuousClock.now - started
            lanes[index].metrics.duration.recordNanoseconds(elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
            for pending in batch { pending.ack?.complete(failure) }
        }
        lanes[index].draining = false
        if !lanes.contains(where: \.draining) {
            let waiters = idleWaiters
            idleWaiters = []
            for waiter in waiters { waiter.resume() }
        }
    }
}

extension AuditLog {
    /// One destination's queue and counters (actor-isolated).
    fileprivate struct Lane {
        let destination: AuditDestination
        let metrics: LaneMetrics
        var queue: [Pending] = []
        var draining = false
        var dropped = 0
        var failures = 0

        init(destination: AuditDestination) {
            self.destination = destination
            metrics = LaneMetrics(name: destination.name)
        }
    }

    fileprivate struct LaneMetrics {
        let events: Counter
        let dropped: Counter
        let errors: Counter
        let depth: Gauge
        let duration: Metrics.Timer

        init(name: String) {
            let dimensions = [("sink", name)]
            events = Counter(label: "zt_audit_events_total", dimensions: dimensions)
            dropped = Counter(label: "zt_audit_dropped_total", dimensions: dimensions)
            errors = Counter(label: "zt_audit_sink_errors_total", dimensions: dimensions)
            depth = Gauge(label: "zt_audit_queue_depth", dimensions: dimensions)
            duration = Metrics.Timer(label: "zt_audit_write_duration", dimensions: dimensions)
        }
    }

    fileprivate struct Pending {
        let event: AuditEvent
        let ack: Acknowledgement?
    }

    /// Resumes a strict `record` once every strict destination has answered, with the first failure.
    /// Only touched on the actor.
    fileprivate final class Acknowledgement {
        private var remaining: Int
        private var failure: (any Error)?
        private var continuation: CheckedContinuation<Void, any Error>?

        init(remaining: Int, continuation: CheckedContinuation<Void, any Error>) {
            self.remaining = remaining
            self.continuation = continuation
        }

        func complete(_ error: (any Error)?) {
            if failure == nil { failure = error }
            remaining -= 1
            guard remaining == 0, let continuation else { return }
            self.continuation = nil
            if let failure { continuation.resume(throwing: failure) } else { continuation.resume() }
        }
    }
}
