import Foundation
import Logging
import Metrics
import MetricsTestKit
import Testing
import ZeroTrustKitTesting
@testable import ZeroTrustMonitoring

@Suite("Metrics and the swift-log bridge")
struct ObservabilityTests {
    /// The one test in this process that bootstraps the global metrics system.
    @Test("counters for events, drops and sink errors, labelled by destination only")
    func metrics() async throws {
        let metrics = TestMetrics()
        MetricsSystem.bootstrap(metrics)
        let good = InMemoryAuditSink()
        let broken = InMemoryAuditSink()
        await broken.setFailing(true)
        let slow = InMemoryAuditSink()
        await slow.hold()
        let log = AuditLog(destinations: [AuditDestination(name: "good-m", sink: good, mode: .strict),
                                          AuditDestination(name: "broken-m", sink: broken, mode: .batch),
                                          AuditDestination(name: "slow-m", sink: slow, mode: .batch)],
                           queueCapacity: 2, maximumBatch: 1)
        for _ in 0..<6 { try await log.record(Samples.access()) }
        let dropped = await log.droppedCount(destination: "slow-m")
        await slow.release()
        try await log.flush()
        #expect(try metrics.expectCounter("zt_audit_events_total", [("sink", "good-m")]).totalValue == 6)
        #expect(try metrics.expectCounter("zt_audit_recorded_total").totalValue >= 6, "process-wide: other suites record too")
        #expect(try metrics.expectCounter("zt_audit_sink_errors_total", [("sink", "broken-m")]).totalValue
            == Int64(await log.failureCount(destination: "broken-m")))
        #expect(dropped > 0)
        #expect(try metrics.expectCounter("zt_audit_dropped_total", [("sink", "slow-m")]).totalValue == Int64(dropped))
        #expect(try metrics.expectGauge("zt_audit_queue_depth", [("sink", "good-m")]).lastValue != nil)
        #expect(try metrics.expectTimer("zt_audit_write_duration", [("sink", "good-m")]).values.count == 6)
        // No metric carries a subject or an address.
        for counter in metrics.counters {
            #expect(counter.dimensions.allSatisfy { $0.0 == "sink" })
        }
    }

    @Test("the swift-log bridge mirrors each event as one message with metadata")
    func swiftLog() async throws {
        let recorder = RecordingLogHandler.Store()
        let logger = Logger(label: "audit") { _ in RecordingLogHandler(store: recorder) }
        let events = Samples.events(2)
        try await SwiftLogSink(logger: logger, level: .info).write(events)
        let messages = recorder.messages
        #expect(messages.count == 2)
        #expect(messages.first?.level == .info)
        #expect(messages.first?.metadata["audit.id"] == .string(events[0].id.uuidString.lowercased()))
        let decoded = try JSONLinesDecoder().decode(Array((messages.last?.message ?? "").utf8))
        #expect(decoded == events[1])
    }
}

/// A `LogHandler` that keeps what it receives.
struct RecordingLogHandler: LogHandler {
    final class Store: @unchecked Sendable {
        // @unchecked: guarded by `lock`.
        private let lock = NSLock()
        private var entries: [(level: Logger.Level, message: String, metadata: Logger.Metadata)] = []
        func append(_ entry: (level: Logger.Level, message: String, metadata: Logger.Metadata)) { lock.withLock { entries.append(entry) } }
        var messages: [(level: Logger.Level, message: String, metadata: Logger.Metadata)] { lock.withLock { entries } }
    }

    let store: Store
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        store.append((event.level, event.message.description, metadata.merging(event.metadata ?? [:]) { $1 }))
    }
}
