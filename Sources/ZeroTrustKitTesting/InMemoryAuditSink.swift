public import ZeroTrustMonitoring

/// An `AuditSink` that keeps events in memory, for tests: inspect what was recorded, make writes
/// fail to exercise fail-closed paths, or hold writes back to fill an `AuditLog` queue.
///
/// ```swift
/// let sink = InMemoryAuditSink()
/// let log = AuditLog(destinations: [AuditDestination(name: "memory", sink: sink, mode: .strict)])
/// try await log.record(.policyLoad(PolicyLoadEvent(source: "policies.yaml", policyCount: 3)))
/// #expect(await sink.events.count == 1)
/// ```
public actor InMemoryAuditSink: AuditSink {
    /// The error a failing sink throws.
    public struct InjectedFailure: Error, Sendable, Hashable {}

    /// Every event written, in order.
    public private(set) var events: [AuditEvent] = []
    /// The sizes of the batches `write` received.
    public private(set) var batchSizes: [Int] = []
    /// How many `flush` and `close` calls arrived.
    public private(set) var flushCount = 0, closeCount = 0
    private var failing = false
    private var gate: [CheckedContinuation<Void, Never>]?

    /// An empty sink.
    public init() {}

    /// Makes later writes (and flushes) throw ``InjectedFailure`` (`true`) or succeed again.
    public func setFailing(_ failing: Bool) { self.failing = failing }

    /// Holds every later `write` until ``release()``: the way to fill a queue in a test.
    public func hold() { if gate == nil { gate = [] } }

    /// Lets held writes proceed.
    public func release() {
        let waiting = gate ?? []
        gate = nil
        for waiter in waiting { waiter.resume() }
    }

    /// Records the batch, or throws when failing.
    public func write(_ batch: [AuditEvent]) async throws {
        if gate != nil { await withCheckedContinuation { gate?.append($0) } }
        if failing { throw InjectedFailure() }
        events.append(contentsOf: batch)
        batchSizes.append(batch.count)
    }

    /// Counts the flush; throws when failing.
    public func flush() async throws {
        flushCount += 1
        if failing { throw InjectedFailure() }
    }

    /// Counts the close.
    public func close() async throws { closeCount += 1 }
}
