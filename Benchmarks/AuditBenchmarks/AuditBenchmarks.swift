import Benchmark
import Foundation
import ZeroTrustCrypto
import ZeroTrustMonitoring

// The audit suite: appends to the chained file log (fsync every 1,000 events), encoder throughput,
// and the disabled `AuditLog` path, which must allocate nothing. The C baseline for the append
// ratio is Baselines/audit_append.c (run Baselines/run-audit-baseline.sh in the same sitting).
//
//     swift package --package-path Benchmarks benchmark --target AuditBenchmarks --scale
let benchmarks: @Sendable () -> Void = {
    let configuration = Benchmark.Configuration(
        metrics: [.throughput, .wallClock, .mallocCountTotal],
        warmupIterations: 1,
        scalingFactor: .kilo,
        maxDuration: .seconds(3),
        maxIterations: 10_000
    )

    // "fsync never" leaves the CPU work and the write(2) calls: the comparison with C that code
    // changes move, free of the shared disk's fdatasync variance.
    for (keyed, syncs) in [(true, true), (false, true), (true, false), (false, false)] {
        let name = "Chained append, \(keyed ? "HMAC-SHA256" : "SHA-256") chain, \(syncs ? "fsync every 1000" : "fsync never")"
        Benchmark(name, configuration: configuration) { benchmark, state in
            do {
                for _ in benchmark.scaledIterations { try state.writer.append(state.event) }
            } catch { benchmark.error("\(error)") }
        } setup: {
            // Never syncing by count or time, so the buffer goes to the kernel at 64 KiB, as in C
            // (`.never` would hand over every single-event append).
            try AppendState(keyed: keyed, fsync: .every(events: syncs ? 1000 : Int.max, milliseconds: Int.max))
        }
    }

    // The whole path an application takes: AuditLog stamps the event and hands it to a strict file
    // destination, one event per record call (no batching helps). With fsync never the write runs
    // in place; with fsync every write it goes through the sink's I/O queue (and the disk).
    for (name, fsync) in [("fsync never", FsyncPolicy.never), ("fsync every write", .everyWrite)] {
        Benchmark("AuditLog.record into a strict file sink, \(name)", configuration: configuration) { benchmark, state in
            for _ in benchmark.scaledIterations {
                do {
                    blackHole(try await state.log.record(state.payload))
                } catch { benchmark.error("\(error)") }
            }
        } setup: {
            try RecordState(fsync: fsync)
        }
    }

    let event = sampleEvent()
    let encoders: [(String, any AuditEventEncoder)] = [("JSON lines", JSONLinesEncoder()), ("OCSF", OCSFEncoder()), ("CEF", CEFEncoder())]
    for (name, encoder) in encoders {
        Benchmark("Encode one access event: \(name)", configuration: configuration) { benchmark in
            for _ in benchmark.scaledIterations { blackHole(encoder.encode(event)) }
        }
    }

    // Control for the next one: the same async loop doing nothing, so the harness's own
    // allocations can be told apart from record's.
    Benchmark("Async loop control (no work)", configuration: configuration) { benchmark in
        for index in benchmark.scaledIterations { blackHole(index) }
        await Task.yield()
    }

    Benchmark("Disabled AuditLog.record (no sinks)", configuration: configuration) { benchmark in
        let log = AuditLog.disabled
        for _ in benchmark.scaledIterations {
            do {
                blackHole(try await log.record(.access(AccessEvent(subject: "alice", resourceType: "model", resourceID: "fraud-v3",
                                                                   action: "read", decision: .permit))))
            } catch { benchmark.error("\(error)") }
        }
    }
}

/// A ~475-byte native line once chained, like the issue's reference figure.
func sampleEvent() -> AuditEvent {
    AuditEvent(time: Date(timeIntervalSince1970: 1_790_000_000.123456), sequence: 1, payload: .access(AccessEvent(
        subject: "spiffe://prod.example/ns/ml/sa/trainer", roles: ["data-scientist", "trainer"], sourceIP: "10.20.30.40",
        resourceType: "dataset", resourceID: "customers-2026-q3", sensitivity: "confidential", action: "read", decision: .permit,
        policyID: "datasets-read-confidential", policyVersion: "42", reason: "role data-scientist may read confidential datasets",
        obligations: ["watermark"], bytes: 1_048_576)))
}

/// A chained log in a temporary directory, removed after the benchmark.
final class AppendState {
    let directory: String
    let writer: ChainedLogWriter
    let event = sampleEvent()

    init(keyed: Bool, fsync: FsyncPolicy) throws {
        directory = NSTemporaryDirectory() + "zt-audit-bench-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        writer = try ChainedLogWriter(path: directory + "/audit.log", configuration: ChainedLogConfiguration(
            signingKey: try Ed25519.PrivateKey(), hmacKey: keyed ? SymmetricKey(size: .bits256) : nil,
            checkpointEvery: 100_000, fsync: fsync))
    }

    deinit {
        try? writer.close()
        try? FileManager.default.removeItem(atPath: directory)
    }
}

/// An `AuditLog` with one strict file destination in a temporary directory.
final class RecordState: @unchecked Sendable {
    // @unchecked: immutable after init; the log and sink are themselves Sendable.
    let directory: String
    let log: AuditLog
    let payload = sampleEvent().payload

    init(fsync: FsyncPolicy) throws {
        directory = NSTemporaryDirectory() + "zt-audit-bench-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let sink = try AuditFileSink(path: directory + "/audit.log", configuration: ChainedLogConfiguration(
            signingKey: try Ed25519.PrivateKey(), checkpointEvery: 100_000, fsync: fsync))
        log = AuditLog(destinations: [AuditDestination(name: "file", sink: sink, mode: .strict)])
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }
}
