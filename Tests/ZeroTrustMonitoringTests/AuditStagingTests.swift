import Foundation
import Testing
import ZeroTrustKitTesting
@testable import ZeroTrustMonitoring

/// A log whose destinations are all `batch` stamps events in per-CPU queues (`AuditStaging`) and
/// moves them to the destinations in the background; these are the guarantees that must survive.
@Suite("AuditLog with only batch destinations (per-CPU staging)")
struct AuditStagingTests {
    @Test("concurrent recorders: every destination gets every event once, in sequence order")
    func concurrentRecordsArriveOnceInOrder() async throws {
        let (log, first, second) = twoBatchDestinations(queueCapacity: 100_000)
        let stamped = try await withThrowingTaskGroup(of: [UInt64].self) { group in
            for task in 0..<32 {
                group.addTask {
                    var sequences: [UInt64] = []
                    for index in 0..<100 {
                        let event = try #require(try await log.record(Samples.access("u\(task)-\(index)")))
                        sequences.append(event.sequence)
                    }
                    return sequences
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        try await log.flush()
        #expect(stamped.sorted() == Array(1...3200), "each record got its own number, none skipped")
        for sink in [first, second] {
            let events = await sink.events
            #expect(events.map(\.sequence) == Array(1...3200))
            #expect(Set(events.map(\.id)).count == 3200)
        }
        #expect(await log.droppedCount(destination: "a") == 0)
    }

    @Test("each record is stamped with the injected clock and returns before any write")
    func stampsAndDoesNotWait() async throws {
        let sink = InMemoryAuditSink()
        await sink.hold()
        let clock = SteppingClock(step: 1)
        let log = AuditLog(destinations: [AuditDestination(name: "held", sink: sink, mode: .batch)], clock: clock.function)
        for index in 0..<3 {
            let event = try #require(try await log.record(Samples.access("user\(index)")))
            #expect(event.sequence == UInt64(index + 1))
            #expect(event.time == Samples.base.addingTimeInterval(Double(index)))
        }
        #expect(await sink.events.isEmpty, "the sink holds every write, yet recording returned")
        await sink.release()
        try await log.flush()
        #expect(await sink.events.map(\.subject) == ["user0", "user1", "user2"])
    }

    @Test("a full queue drops what it cannot take and counts it; the rest arrives in order")
    func fullQueueDrops() async throws {
        let sink = InMemoryAuditSink()
        await sink.hold()
        let log = AuditLog(destinations: [AuditDestination(name: "slow", sink: sink, mode: .batch)],
                           queueCapacity: 4, maximumBatch: 1)
        for _ in 0..<20 { try await log.record(Samples.access()) }
        // Staged events reach the queue within a few milliseconds.
        let deadline = ContinuousClock.now + .seconds(10)
        while await log.droppedCount(destination: "slow") < 15, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(1))
        }
        let dropped = await log.droppedCount(destination: "slow")
        // One event may be in the held write and 4 queued: 15 or 16 of the 20 were dropped.
        #expect(dropped >= 15 && dropped <= 16)
        #expect(await log.queueDepth(destination: "slow") <= 4)
        await sink.release()
        try await log.flush()
        let delivered = await sink.events.map(\.sequence)
        #expect(delivered.count == 20 - dropped)
        #expect(delivered == delivered.sorted() && Set(delivered).count == delivered.count)
    }

    @Test("a CPU's staging queue is bounded: beyond its capacity events are stamped, dropped and counted")
    func stagingQueueIsBounded() {
        let staging = AuditStaging(capacity: 3)
        let stamped = (0..<5).compactMap { index in
            staging.stamp(Samples.events(1)[0], keepingTime: true, clock: { Samples.base })
        }
        #expect(stamped.map(\.sequence) == [1, 2, 3, 4, 5], "every record is stamped, kept or not")
        #expect(staging.pendingDrops == 2)
        var delivered: [UInt64] = [], dropped = 0
        staging.transfer { events, drops in
            delivered = events.map(\.sequence)
            dropped = drops
        }
        #expect(delivered == [1, 2, 3])
        #expect(dropped == 2)
        #expect(staging.pendingDrops == 0 && !staging.isPending)
    }

    @Test("events numbered past the watermark wait for the next transfer, and arrive once, in order")
    func eventsPastTheWatermarkAreHeldBack() {
        let staging = AuditStaging(capacity: 100)
        let stamp = { _ = staging.stamp(Samples.events(1)[0], keepingTime: true, clock: { Samples.base }) }
        for _ in 0..<3 { stamp() }
        var deliveries: [[UInt64]] = []
        // Two events are stamped after the transfer read the watermark (3): as on another core.
        let moved = staging.transfer(afterReadingWatermark: { stamp(); stamp() }) { events, _ in
            deliveries.append(events.map(\.sequence))
        }
        #expect(moved == 3)
        #expect(deliveries == [[1, 2, 3]])
        #expect(staging.isPending, "4 and 5 are held, not lost")
        stamp()
        #expect(staging.transfer { events, _ in deliveries.append(events.map(\.sequence)) } == 3)
        #expect(deliveries == [[1, 2, 3], [4, 5, 6]])
        #expect(!staging.isPending)
    }

    @Test("a log whose staging overflows counts the drops for every destination")
    func stagingDropsAreCountedPerDestination() async throws {
        let (log, first, second) = twoBatchDestinations(queueCapacity: 2)
        // Records issued without a suspension point between them: the transfer task may or may
        // not run meanwhile, so what is dropped varies, but nothing is both delivered and dropped.
        for _ in 0..<50 { try await log.record(Samples.access()) }
        try await log.flush()
        for (name, sink) in [("a", first), ("b", second)] {
            let delivered = await sink.events.count
            #expect(delivered + (await log.droppedCount(destination: name)) == 50)
        }
    }

    @Test("closing delivers everything recorded before and refuses everything after")
    func closeDeliversStagedEventsAndRefusesLaterOnes() async throws {
        let sink = InMemoryAuditSink()
        let log = AuditLog(destinations: [AuditDestination(name: "m", sink: sink, mode: .batch)])
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<200 { group.addTask { try await log.record(Samples.access("u\(index)")) } }
            try await group.waitForAll()
        }
        try await log.close()
        #expect(await sink.events.map(\.sequence) == Array(1...200))
        #expect(await sink.closeCount == 1)
        await #expect { try await log.record(Samples.access()) } throws: { ($0 as? AuditError)?.code == .closed }
    }

    @Test("an event recorded while close() is flushing is refused and never reaches the closed sink")
    func recordDuringClose() async throws {
        let sink = GatedFlushSink()
        let log = AuditLog(destinations: [AuditDestination(name: "gated", sink: sink, mode: .batch)])
        try await log.record(Samples.access("before"))
        let closing = Task { try await log.close() }
        await sink.waitUntilFlushing()
        await #expect { try await log.record(Samples.access("late")) } throws: { ($0 as? AuditError)?.code == .closed }
        await sink.releaseFlush()
        try await closing.value
        #expect(await sink.subjects == ["before"])
        #expect(await sink.writesAfterClose == 0)
        #expect(await sink.isClosed)
    }

    /// A log with two `batch` destinations, "a" and "b", and their sinks.
    private func twoBatchDestinations(queueCapacity: Int) -> (AuditLog, InMemoryAuditSink, InMemoryAuditSink) {
        let first = InMemoryAuditSink(), second = InMemoryAuditSink()
        let log = AuditLog(destinations: [AuditDestination(name: "a", sink: first, mode: .batch),
                                          AuditDestination(name: "b", sink: second, mode: .batch)],
                           queueCapacity: queueCapacity)
        return (log, first, second)
    }
}
