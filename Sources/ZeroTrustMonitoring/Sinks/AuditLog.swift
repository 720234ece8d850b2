public import Foundation
import Metrics
import Synchronization

/// The front door of audit logging: stamps events (UUID, injected clock, monotonic sequence) and
/// fans them out to destinations, each with a bounded queue, a worker that writes in batches, and
/// a ``DeliveryMode``.
///
/// `record` returns once every ``DeliveryMode/strict`` destination has the event and throws
/// ``AuditError/Code/deliveryFailed`` when one of them could not record it, so the caller can
/// refuse the action it was about to allow. Queues keep sequence order per destination; strict
/// events that arrive together are written together (group commit: one write and one sync).
///
/// Recording takes no actor hop: stamping and enqueueing happen under one short lock, and a log
/// whose destinations are all ``DeliveryMode/batch`` returns without suspending. Each destination's
/// worker writes whatever has queued up, and after a batch lingers ~1 ms for more before it exits
/// (strict destinations never linger), so a busy log pays for one task start and one timer per
/// millisecond instead of a thread wake-up per event.
///
/// A log whose destinations are all ``DeliveryMode/batch`` stamps events in one queue per CPU
/// instead, so that cores recording at once share no lock and no queue (only the sequence
/// counter); about once a millisecond the events move on to the destinations' queues, still in
/// sequence order. Sequences stay unique and gapless, and each CPU's times increase with its
/// sequences; two events stamped at the same moment on two cores may carry times out of sequence
/// order by the width of that race. ``queueDepth(destination:)`` counts an event once it has moved.
/// Each CPU's queue holds at most `queueCapacity` events; beyond that an event is stamped but
/// dropped for every destination and counted, as a full batch queue does.
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
    private nonisolated let core: Core

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
        core = Core(destinations: destinations, capacity: max(1, queueCapacity), maximumBatch: max(1, maximumBatch),
                    clock: clock)
    }

    /// Stamps and records an event built from `payload`. Returns the stamped event, or nil when
    /// the log is disabled (``isEnabled`` false; `payload` is then not evaluated). Runs on the
    /// caller's executor (`nonisolated(nonsending)`), not the log's actor.
    @discardableResult
    public nonisolated(nonsending) func record(_ payload: @autoclosure () -> AuditEvent.Payload) async throws -> AuditEvent? {
        guard isEnabled else { return nil }
        // The time is read under the lock together with the sequence, so both increase together
        // (per CPU, for a log of batch destinations only: see the type's note).
        return try await core.record(AuditEvent(time: Date(timeIntervalSince1970: 0), payload: payload()), keepingTime: false)
    }

    /// Records an already-built event (replayed or received from another process): its id and time
    /// are kept, its sequence is replaced by this log's.
    @discardableResult
    public nonisolated(nonsending) func record(event: AuditEvent) async throws -> AuditEvent {
        try await core.record(event, keepingTime: true)
    }

    /// Waits until every queued event has been handed to its sink, then flushes every sink.
    /// Throws the first flush failure of a strict destination.
    public func flush() async throws {
        await core.waitUntilIdle()
        for (index, destination) in core.destinations.enumerated() {
            do {
                try await destination.sink.flush()
            } catch where destination.mode != .strict {
                core.countFailure(index)
            }
        }
    }

    /// Refuses new events, flushes what was already recorded, then closes every sink. `record`
    /// calls that reach the log once `close` has begun (even while its flush is still running)
    /// throw ``AuditError/Code/closed``, so no event can reach a sink after it is closed.
    public func close() async throws {
        // Closed first: flush() suspends on the sinks, and a record arriving then would otherwise
        // start a drain that outlives the flush and writes to a closed sink.
        core.close()
        try await flush()
        var firstError: (any Error)?
        for destination in core.destinations {
            do { try await destination.sink.close() } catch { if firstError == nil { firstError = error } }
        }
        if let firstError { throw firstError }
    }

    /// How many events the named destination dropped because its queue was full.
    public func droppedCount(destination name: String) -> Int {
        core.lane(named: name) { $0.dropped }.map { $0 + core.stagedDrops } ?? 0
    }

    /// How many writes (and flushes) to the named destination failed.
    public func failureCount(destination name: String) -> Int {
        core.lane(named: name) { $0.failures } ?? 0
    }

    /// Events waiting in the named destination's queue.
    public func queueDepth(destination name: String) -> Int {
        core.lane(named: name) { $0.queue.count } ?? 0
    }
}

extension AuditLog {
    /// The log's shared state behind one lock, and the per-destination workers. Workers hold the
    /// core, not the log, so a log that is dropped without `close()` still lets them finish.
    fileprivate final class Core: Sendable {
        let destinations: [AuditDestination]
        private let metrics: [LaneMetrics]
        private let clock: @Sendable () -> Date
        private let capacity: Int
        private let maximumBatch: Int
        private let strictCount: Int
        private let hasBackpressure: Bool
        private let recorded = Counter(label: "zt_audit_recorded_total")
        private let state: Mutex<State>
        /// Per-CPU stamping for a log whose destinations are all `batch` (nothing waits for a
        /// write, and full queues drop instead of pushing back), so that recorders on different
        /// cores do not take turns on `state`'s lock and queues.
        private let staging: AuditStaging?
        /// How long an idle non-strict worker waits for more events before it exits.
        static let linger = Duration.milliseconds(1)

        init(destinations: [AuditDestination], capacity: Int, maximumBatch: Int, clock: @escaping @Sendable () -> Date) {
            self.destinations = destinations
            metrics = destinations.map { LaneMetrics(name: $0.name) }
            self.clock = clock
            self.capacity = capacity
            self.maximumBatch = maximumBatch
            strictCount = destinations.count { $0.mode == .strict }
            hasBackpressure = destinations.contains { $0.mode != .batch }
            state = Mutex(State(lanes: destinations.map { _ in Lane() }))
            staging = !destinations.isEmpty && !hasBackpressure ? AuditStaging(capacity: capacity) : nil
        }

        nonisolated(nonsending) func record(_ event: AuditEvent, keepingTime: Bool) async throws -> AuditEvent {
            // Optional chaining rather than `if let`: binding the shared staging object counted
            // a reference on it per event.
            if staging != nil {
                guard let stamped = staging?.stamp(event, keepingTime: keepingTime, clock: clock) else {
                    throw AuditError(code: .closed, message: "the audit log is closed")
                }
                if staging?.claimTransferTask() == true, let staging { startTransfer(staging) }
                return stamped
            }
            let acknowledgement = strictCount > 0 ? Acknowledgement(remaining: strictCount) : nil
            while true {
                let outcome = state.withLock { state in
                    enqueue(event, keepingTime: keepingTime, acknowledgement: acknowledgement, in: &state)
                }
                switch outcome {
                case .closed:
                    throw AuditError(code: .closed, message: "the audit log is closed")
                case .full:
                    // Wait for room in every backpressured queue, then stamp and enqueue in one
                    // step, so every queue receives events in sequence order.
                    await waitForSpace()
                case .enqueued(let stamped, let start):
                    for index in start { startWorker(index) }
                    try await acknowledgement?.wait()
                    return stamped
                }
            }
        }

        private enum Enqueued {
            case closed, full
            case enqueued(AuditEvent, startWorkers: [Int])
        }

        private func enqueue(_ event: AuditEvent, keepingTime: Bool, acknowledgement: Acknowledgement?,
                             in state: inout State) -> Enqueued {
            guard !state.closed else { return .closed }
            if isBackpressured(state) { return .full }
            var event = event
            state.sequence += 1
            event.sequence = state.sequence
            if !keepingTime { event.time = clock() }
            recorded.increment()
            var start: [Int] = []
            for index in destinations.indices {
                let mode = destinations[index].mode
                if mode == .batch && state.lanes[index].queue.count >= capacity {
                    state.lanes[index].dropped += 1
                    metrics[index].dropped.increment()
                    continue
                }
                state.lanes[index].queue.append(event)
                if mode == .strict, let acknowledgement { state.lanes[index].acknowledgements.append(acknowledgement) }
                metrics[index].depth.record(state.lanes[index].queue.count)
                if !state.lanes[index].working {
                    state.lanes[index].working = true
                    start.append(index)
                }
            }
            return .enqueued(event, startWorkers: start)
        }

        /// Whether a `blocking` or `strict` destination's queue is full (a `batch` one drops instead).
        private func isBackpressured(_ state: State) -> Bool {
            hasBackpressure && destinations.indices.contains {
                destinations[$0].mode != .batch && state.lanes[$0].queue.count >= capacity
            }
        }

        private func waitForSpace() async {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state in
                    let full = isBackpressured(state)
                    if full && !state.closed { state.spaceWaiters.append(continuation) }
                    return !full || state.closed
                }
                if resumeNow { continuation.resume() }
            }
        }

        /// Started from a synchronous, nonisolated method (as the workers are), so the task never
        /// takes on the isolation of a `nonisolated(nonsending)` caller.
        private func startTransfer(_ staging: AuditStaging) {
            Task { await self.transferStaged(staging) }
        }

        /// Moves staged events to the destinations' queues about once per `linger` while events
        /// keep arriving; ends after a quiet `linger`.
        private func transferStaged(_ staging: AuditStaging) async {
            var quiet = false
            while true {
                let moved = staging.transfer { events, dropped in deliverStaged(events, dropped: dropped) }
                if moved == 0 && (quiet || staging.isClosed) {
                    if staging.releaseTransferTask() { return }
                    continue
                }
                quiet = moved == 0
                try? await Task.sleep(for: Self.linger)
            }
        }

        /// Appends transferred events (in sequence order) to every queue, dropping what a full
        /// queue cannot take, counts the events a full per-CPU queue dropped, and starts the
        /// workers that are not running.
        private func deliverStaged(_ events: [AuditEvent], dropped stagedDrops: Int) {
            recorded.increment(by: events.count + stagedDrops)
            let start = state.withLock { state -> [Int] in
                var start: [Int] = []
                for index in destinations.indices {
                    if stagedDrops > 0 {
                        state.lanes[index].dropped += stagedDrops
                        metrics[index].dropped.increment(by: stagedDrops)
                    }
                    let room = max(0, capacity - state.lanes[index].queue.count)
                    if state.lanes[index].queue.isEmpty && events.count <= room {
                        state.lanes[index].queue = events  // shares the buffer: no copy per event
                    } else {
                        state.lanes[index].queue.append(contentsOf: events.prefix(room))
                    }
                    if events.count > room {
                        state.lanes[index].dropped += events.count - room
                        metrics[index].dropped.increment(by: events.count - room)
                    }
                    metrics[index].depth.record(state.lanes[index].queue.count)
                    if !state.lanes[index].working, !state.lanes[index].queue.isEmpty {
                        state.lanes[index].working = true
                        start.append(index)
                    }
                }
                return start
            }
            for index in start { startWorker(index) }
        }

        private func startWorker(_ index: Int) {
            Task { await self.work(index) }
        }

        /// What a worker does next.
        private enum Step {
            /// Write this batch, having freed room for these waiting recorders.
            case write(Batch, resuming: [CheckedContinuation<Void, Never>])
            /// The queue is empty: wait ~1 ms for more before giving up.
            case linger
            case exit
        }

        /// Writes batches until the queue stays empty (for ~1 ms when not strict), then exits.
        private func work(_ index: Int) async {
            let destination = destinations[index]
            var lingered = false
            while true {
                let step: Step = state.withLock { state in
                    guard !state.lanes[index].queue.isEmpty else {
                        if destination.mode == .strict || lingered || state.closed {
                            state.lanes[index].working = false
                            return .exit
                        }
                        return .linger
                    }
                    let batch = state.lanes[index].takeBatch(maximumBatch)
                    state.lanes[index].writing = true
                    metrics[index].depth.record(state.lanes[index].queue.count)
                    defer { state.spaceWaiters = [] }
                    return .write(batch, resuming: state.spaceWaiters)
                }
                switch step {
                case .exit:
                    resumeIdleWaitersIfIdle()
                    return
                case .linger:
                    lingered = true
                    resumeIdleWaitersIfIdle()
                    try? await Task.sleep(for: Self.linger)
                case .write(let batch, let waiters):
                    lingered = false
                    for waiter in waiters { waiter.resume() }
                    await write(batch, to: index)
                }
            }
        }

        private func write(_ batch: Batch, to index: Int) async {
            let destination = destinations[index]
            let started = ContinuousClock.now
            var failure: (any Error)?
            do {
                try await destination.sink.write(batch.events)
                metrics[index].events.increment(by: batch.events.count)
            } catch {
                failure = AuditError(code: .deliveryFailed, message: "audit sink \(destination.name) failed to record \(batch.events.count) event(s): \(error)")
                countFailure(index)
            }
            let elapsed = ContinuousClock.now - started
            metrics[index].duration.recordNanoseconds(elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
            state.withLock { $0.lanes[index].writing = false }
            for acknowledgement in batch.acknowledgements { acknowledgement.complete(failure) }
        }

        /// Resumes `flush()` callers once no queue holds events and no write is in flight.
        private func resumeIdleWaitersIfIdle() {
            let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
                guard state.isIdle else { return [] }
                defer { state.idleWaiters = [] }
                return state.idleWaiters
            }
            for waiter in waiters { waiter.resume() }
        }

        func waitUntilIdle() async {
            // Staged events first: everything recorded before this call is numbered up to the
            // watermark the transfer reads.
            staging?.transfer { events, dropped in deliverStaged(events, dropped: dropped) }
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let idle = state.withLock { state in
                    if !state.isIdle { state.idleWaiters.append(continuation) }
                    return state.isIdle
                }
                if idle { continuation.resume() }
            }
        }

        func close() {
            staging?.close()
            let waiters = state.withLock { state in
                state.closed = true
                defer { state.spaceWaiters = [] }
                return state.spaceWaiters
            }
            for waiter in waiters { waiter.resume() }
        }

        /// Events a full per-CPU queue dropped that no transfer has counted into the lanes yet.
        var stagedDrops: Int { staging?.pendingDrops ?? 0 }

        func countFailure(_ index: Int) {
            state.withLock { $0.lanes[index].failures += 1 }
            metrics[index].errors.increment()
        }

        func lane<T: Sendable>(named name: String, _ read: (Lane) -> T) -> T? {
            guard let index = destinations.firstIndex(where: { $0.name == name }) else { return nil }
            return state.withLock { read($0.lanes[index]) }
        }
    }

    fileprivate struct State {
        var lanes: [Lane]
        var sequence: UInt64 = 0
        var closed = false
        var spaceWaiters: [CheckedContinuation<Void, Never>] = []
        var idleWaiters: [CheckedContinuation<Void, Never>] = []

        init(lanes: [Lane]) { self.lanes = lanes }

        /// No queued events and no write in flight (a lingering worker is idle).
        var isIdle: Bool { lanes.allSatisfy { $0.queue.isEmpty && !$0.writing } }
    }

    /// One destination's queue and counters.
    fileprivate struct Lane {
        /// Events in sequence order; the array itself is handed to the sink's `write`.
        var queue: [AuditEvent] = []
        /// For a strict destination, one per queued event (the recorder waiting for it).
        var acknowledgements: [Acknowledgement] = []
        /// A worker task exists for this lane (writing or lingering).
        var working = false
        /// A batch is being written.
        var writing = false
        var dropped = 0
        var failures = 0

        /// Up to `maximum` events from the front (the whole queue, without copying, when it fits).
        mutating func takeBatch(_ maximum: Int) -> Batch {
            guard queue.count > maximum else {
                defer { queue = []; acknowledgements = [] }
                return Batch(events: queue, acknowledgements: acknowledgements)
            }
            let batch = Batch(events: Array(queue.prefix(maximum)), acknowledgements: Array(acknowledgements.prefix(maximum)))
            queue.removeFirst(maximum)
            acknowledgements.removeFirst(min(maximum, acknowledgements.count))
            return batch
        }
    }

    fileprivate struct LaneMetrics: Sendable {
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

    /// Events taken from a queue for one `write`, and the recorders waiting for them.
    fileprivate struct Batch: Sendable {
        let events: [AuditEvent]
        let acknowledgements: [Acknowledgement]
    }

    /// Resumes a strict `record` once every strict destination has answered, with the first
    /// failure. Answers may come before the recorder starts waiting.
    fileprivate final class Acknowledgement: Sendable {
        private struct Progress {
            var remaining: Int
            var failure: (any Error)?
            var continuation: CheckedContinuation<Void, any Error>?
        }
        private let progress: Mutex<Progress>

        init(remaining: Int) { progress = Mutex(Progress(remaining: remaining)) }

        func complete(_ error: (any Error)?) {
            let resume = progress.withLock { progress -> (CheckedContinuation<Void, any Error>, (any Error)?)? in
                if progress.failure == nil { progress.failure = error }
                progress.remaining -= 1
                guard progress.remaining == 0, let continuation = progress.continuation else { return nil }
                progress.continuation = nil
                return (continuation, progress.failure)
            }
            guard let (continuation, failure) = resume else { return }
            if let failure { continuation.resume(throwing: failure) } else { continuation.resume() }
        }

        func wait() async throws {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let done = progress.withLock { progress -> (any Error)?? in
                    guard progress.remaining == 0 else {
                        progress.continuation = continuation
                        return nil
                    }
                    return .some(progress.failure)
                }
                guard let done else { return }
                if let failure = done { continuation.resume(throwing: failure) } else { continuation.resume() }
            }
        }
    }
}
