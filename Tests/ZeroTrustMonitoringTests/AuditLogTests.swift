import Foundation
import Testing
import ZeroTrustCrypto
import ZeroTrustKitTesting
@testable import ZeroTrustMonitoring

@Suite("AuditLog fan-out and delivery modes")
struct AuditLogTests {
    @Test("events are stamped with ids, the injected clock and a monotonic sequence")
    func stamping() async throws {
        let sink = InMemoryAuditSink()
        let clock = SteppingClock(step: 1)
        let log = AuditLog(destinations: [AuditDestination(name: "memory", sink: sink, mode: .strict)], clock: clock.function)
        for index in 0..<5 {
            let event = try #require(try await log.record(Samples.access("user\(index)")))
            #expect(event.sequence == UInt64(index + 1))
            #expect(event.time == Samples.base.addingTimeInterval(Double(index)))
        }
        let events = await sink.events
        #expect(events.map(\.sequence) == [1, 2, 3, 4, 5])
        #expect(Set(events.map(\.id)).count == 5)
        #expect(events.map(\.subject) == ["user0", "user1", "user2", "user3", "user4"])
    }

    @Test("strict delivery fails the append when the sink fails, and succeeds again after")
    func strictFailsClosed() async throws {
        let sink = InMemoryAuditSink()
        let mirror = InMemoryAuditSink()
        let log = AuditLog(destinations: [AuditDestination(name: "store", sink: sink, mode: .strict),
                                          AuditDestination(name: "mirror", sink: mirror, mode: .batch)])
        try await log.record(Samples.access())
        await sink.setFailing(true)
        await #expect {
            try await log.record(Samples.access("bob"))
        } throws: { error in
            guard let error = error as? AuditError else { return false }
            return error.code == .deliveryFailed && error.message.contains("store")
        }
        #expect(await log.failureCount(destination: "store") == 1)
        await sink.setFailing(false)
        try await log.record(Samples.access("carol"))
        #expect(await sink.events.map(\.subject) == ["alice", "carol"])
        try await log.flush()
        #expect(await mirror.events.count == 3, "the batch mirror saw every event")
    }

    @Test("a failing batch destination never fails the append; its errors are counted")
    func batchFailureCounted() async throws {
        let sink = InMemoryAuditSink()
        await sink.setFailing(true)
        let log = AuditLog(destinations: [AuditDestination(name: "siem", sink: sink, mode: .batch)])
        for _ in 0..<3 { try await log.record(Samples.access()) }
        try await log.flush()
        #expect(await log.failureCount(destination: "siem") >= 1)
    }

    @Test("batch mode drops and counts when its queue is full; strict still gets everything")
    func batchDrops() async throws {
        let slow = InMemoryAuditSink()
        let store = InMemoryAuditSink()
        await slow.hold()
        let log = AuditLog(destinations: [AuditDestination(name: "slow", sink: slow, mode: .batch),
                                          AuditDestination(name: "store", sink: store, mode: .strict)],
                           queueCapacity: 4, maximumBatch: 1)
        for _ in 0..<20 { try await log.record(Samples.access()) }
        let dropped = await log.droppedCount(destination: "slow")
        // One event may be in the held write, 4 queued: at least 15 of 20 were dropped.
        #expect(dropped >= 15 && dropped <= 16)
        #expect(await log.queueDepth(destination: "slow") == 4)
        await slow.release()
        try await log.flush()
        #expect(await slow.events.count == 20 - dropped)
        #expect(await store.events.count == 20)
    }

    @Test("blocking mode waits for room instead of dropping")
    func blockingBackpressure() async throws {
        let slow = InMemoryAuditSink()
        await slow.hold()
        let log = AuditLog(destinations: [AuditDestination(name: "slow", sink: slow, mode: .blocking)], queueCapacity: 2, maximumBatch: 1)
        let producer = Task {
            for _ in 0..<10 { try await log.record(Samples.access()) }
        }
        // The producer cannot finish while the sink holds writes: the queue stays at its capacity.
        while await log.queueDepth(destination: "slow") < 2 { await Task.yield() }
        #expect(await slow.events.isEmpty)
        await slow.release()
        try await producer.value
        try await log.flush()
        #expect(await slow.events.map(\.sequence) == Array(1...10))
        #expect(await log.droppedCount(destination: "slow") == 0)
    }

    @Test("concurrent strict records are all acknowledged, in sequence order, and grouped into batches")
    func groupCommit() async throws {
        let sink = InMemoryAuditSink()
        let log = AuditLog(destinations: [AuditDestination(name: "store", sink: sink, mode: .strict)])
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<200 { group.addTask { try await log.record(Samples.access("u\(index)")) } }
            try await group.waitForAll()
        }
        let events = await sink.events
        #expect(events.count == 200)
        #expect(events.map(\.sequence) == Array(1...200))
        #expect(await sink.batchSizes.reduce(0, +) == 200)
    }

    @Test("a disabled log does not even build the payload; a closed log refuses events")
    func disabledAndClosed() async throws {
        #expect(!AuditLog.disabled.isEnabled)
        let built = Flag()
        let result = try await AuditLog.disabled.record({ built.set(); return Samples.access() }())
        #expect(result == nil)
        #expect(!built.value)

        let sink = InMemoryAuditSink()
        let log = AuditLog(destinations: [AuditDestination(name: "m", sink: sink, mode: .strict)])
        try await log.close()
        #expect(await sink.closeCount == 1)
        await #expect { try await log.record(Samples.access()) } throws: { ($0 as? AuditError)?.code == .closed }
    }

    @Test("the file sink behind a strict destination: acknowledged events are in a verifiable log")
    func fileSink() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let signer = try Ed25519.PrivateKey()
        let path = directory.path("audit.log")
        let sink = try AuditFileSink(path: path, configuration: ChainedLogConfiguration(signingKey: signer, checkpointEvery: 50))
        let log = AuditLog(destinations: [AuditDestination(name: "file", sink: sink, mode: .strict)])
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<120 { group.addTask { try await log.record(Samples.access("u\(index)")) } }
            try await group.waitForAll()
        }
        #expect(sink.recordCount == 120)
        try await log.close()
        let result = try AuditLogVerifier(publicKey: signer.publicKey).verify(logAt: path)
        #expect(result.records == 120)
        #expect(result.uncheckpointedRecords == 0)
        #expect(try ChainedLogReader.events(logAt: path).map(\.sequence) == Array(1...120))
    }

    @Test("the stdout sink writes one line per event in the chosen format")
    func standardOutputSink() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("out.txt")
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        let handle = try #require(FileHandle(forWritingAtPath: path))
        let sink = StandardOutputSink(encoder: CEFEncoder(), fileDescriptor: handle.fileDescriptor)
        try await sink.write(Samples.events(3))
        try handle.close()
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines.allSatisfy { $0.hasPrefix("CEF:0|ZeroTrustKit|") })
    }

    /// Hides `JSONLinesEncoder` behind another type, so that the sink takes its general path.
    struct WrappedEncoder: AuditEventEncoder {
        func encode(_ event: AuditEvent) -> [UInt8] { JSONLinesEncoder().encode(event) }
    }

    @Test("JSON lines written straight into one buffer are byte for byte the encoder's lines, across 64 KiB chunks")
    func nativeJSONLinesMatchTheEncoder() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var outputs: [[UInt8]] = []
        let events = Samples.events(600)  // more than one 64 KiB chunk
        for (name, encoder) in [("native", JSONLinesEncoder()), ("wrapped", WrappedEncoder())] as [(String, any AuditEventEncoder)] {
            let path = directory.path(name)
            #expect(FileManager.default.createFile(atPath: path, contents: nil))
            let handle = try #require(FileHandle(forWritingAtPath: path))
            try await StandardOutputSink(encoder: encoder, fileDescriptor: handle.fileDescriptor).write(events)
            try handle.close()
            outputs.append(Array(try Data(contentsOf: URL(fileURLWithPath: path))))
        }
        #expect(outputs[0].count > StandardOutputSink.chunkByteCount)
        #expect(outputs[0] == outputs[1])
        #expect(outputs[0] == events.flatMap { JSONLinesEncoder().encode($0) + [UInt8(ascii: "\n")] })
    }
}

/// A thread-safe boolean for observing side effects from autoclosures.
final class Flag: @unchecked Sendable {
    // @unchecked: guarded by `lock`.
    private let lock = NSLock()
    private var raised = false
    func set() { lock.withLock { raised = true } }
    var value: Bool { lock.withLock { raised } }
}

@Suite("AuditLog close")
struct AuditLogCloseTests {
    @Test("an event recorded while close() is flushing is refused and never reaches the closed sink")
    func recordDuringClose() async throws {
        let sink = GatedFlushSink()
        let log = AuditLog(destinations: [AuditDestination(name: "gated", sink: sink, mode: .strict)])
        try await log.record(Samples.access("before"))
        let closing = Task { try await log.close() }
        await sink.waitUntilFlushing()
        // close() is now suspended inside the sink's flush.
        let late: (any Error)? = await {
            do {
                try await log.record(Samples.access("late"))
                return nil
            } catch { return error }
        }()
        #expect((late as? AuditError)?.code == .closed)
        await sink.releaseFlush()
        try await closing.value
        // A strict record returns only after the sink's write, so an event let through would
        // already be in `subjects` here.
        #expect(await sink.subjects == ["before"])
        #expect(await sink.writesAfterClose == 0)
        #expect(await sink.isClosed)
    }
}

/// A sink whose first flush waits for the test, and which counts writes that arrive after close.
actor GatedFlushSink: AuditSink {
    private(set) var subjects: [String] = []
    private(set) var writesAfterClose = 0
    private(set) var isClosed = false
    private var flushing = false
    private var flushWaiters: [CheckedContinuation<Void, Never>] = []
    private var gate: CheckedContinuation<Void, Never>?
    private var released = false

    func write(_ events: [AuditEvent]) async throws {
        if isClosed { writesAfterClose += 1 }
        for event in events {
            if case .access(let access) = event.payload { subjects.append(access.subject) }
        }
    }

    func flush() async throws {
        flushing = true
        for waiter in flushWaiters { waiter.resume() }
        flushWaiters = []
        if !released { await withCheckedContinuation { gate = $0 } }
    }

    func close() async throws { isClosed = true }

    func waitUntilFlushing() async {
        if !flushing { await withCheckedContinuation { flushWaiters.append($0) } }
    }

    func releaseFlush() {
        released = true
        gate?.resume()
        gate = nil
    }
}
