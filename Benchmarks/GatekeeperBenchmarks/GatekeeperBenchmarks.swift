import Benchmark
import Foundation
import Synchronization
import ZeroTrustKit

// Full `Gatekeeper.authorize` calls with a bearer token: verify the token (HS256 or EdDSA), decide
// with the seed policy (a permit: data scientist, Tuesday 10:00, 10.x), record the access event
// to a batch audit destination, and mint the scoped grant token (signed with the same algorithm).
// The tokens are 64 of one principal's, differing in `jti`, used in turn. The batch destination
// discards the events (the gate is measured), or, in the "file audit" variants, is the signed,
// hash-chained `AuditFileSink` on a real file (fsync every 1,000 events): the audit append too.
// Events the batch destination dropped (its queue full because the sink fell behind) are counted
// per sample, as "audit events dropped": a result with drops did not record everything. One task,
// and one task per core. The per-core tasks run on executors of their own (one thread
// each, outside Swift's cooperative pool): package-benchmark's runner blocks one pool thread while
// an async benchmark runs, so on a 2-core machine tasks on the pool share the one thread left (a
// pure spin loop in 2 tasks measured the same throughput as in 1).
//
//     swift package --package-path Benchmarks benchmark --target GatekeeperBenchmarks
let benchmarks: @Sendable () -> Void = {
    let configuration = Benchmark.Configuration(
        metrics: [.throughput, .wallClock, .mallocCountTotal, droppedEvents],
        warmupIterations: 1,
        scalingFactor: .kilo,
        maxDuration: .seconds(3),
        maxIterations: 10_000
    )
    let cores = ProcessInfo.processInfo.activeProcessorCount

    for (algorithm, audit) in [(JWSAlgorithm.hs256, AuditKind.discard), (.edDSA, .discard), (.hs256, .jsonLines), (.hs256, .file)] {
        Benchmark("authorize, bearer \(algorithm.rawValue), \(audit.rawValue), 1 task", configuration: configuration) { benchmark, state in
            let requests = state.ownRequests()
            let droppedBefore = await state.droppedEvents()
            for iteration in benchmark.scaledIterations {
                let outcome = await state.authorize(requests[iteration & 63])
                if !outcome.granted { benchmark.error("denied: \(outcome.decision.reason)") }
            }
            benchmark.measurement(droppedEvents, await state.droppedEvents() - droppedBefore)
        } setup: {
            try GatekeeperState(algorithm: algorithm, audit: audit)
        }

        Benchmark("authorize, bearer \(algorithm.rawValue), \(audit.rawValue), \(cores) tasks", configuration: configuration) { benchmark, state in
            let total = benchmark.scaledIterations.count
            let droppedBefore = await state.droppedEvents()
            let denials = await withTaskGroup(of: Int.self) { group in
                for worker in 0..<cores {
                    let share = total / cores + (worker < total % cores ? 1 : 0)
                    group.addTask(executorPreference: state.executors[worker]) {
                        // Each task's own request values, as separate connections would parse:
                        // one token `String` shared by both cores measured the counting of
                        // references on it, not the gate.
                        let requests = state.ownRequests()
                        var denials = 0
                        for index in 0..<share where await !state.authorize(requests[index & 63]).granted { denials += 1 }
                        return denials
                    }
                }
                return await group.reduce(0, +)
            }
            if denials > 0 { benchmark.error("\(denials) authorizations denied") }
            benchmark.measurement(droppedEvents, await state.droppedEvents() - droppedBefore)
        } setup: {
            try GatekeeperState(algorithm: algorithm, audit: audit)
        }
    }
}

/// Audit events the benchmark's batch destination dropped during a sample.
let droppedEvents = BenchmarkMetric.custom("audit events dropped", polarity: .prefersSmaller, useScalingFactor: false)

/// A task executor running its jobs on one thread of its own, outside the cooperative pool. (Not a
/// serial `DispatchQueue`, whose jobs run on whichever worker thread dispatch picks: a thread per
/// executor is what "one task per core" means. The bimodal two-core results in Performance.md
/// occur with either.)
final class ThreadExecutor: TaskExecutor {
    private let jobs = Mutex<[UnownedJob]>([])
    private let available = DispatchSemaphore(value: 0)

    init(_ name: String) {
        // The thread serves this executor for the rest of the process (one per benchmark state).
        let thread = Thread { [self] in run() }
        thread.name = name
        thread.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        jobs.withLock { $0.append(job) }
        available.signal()
    }

    private func run() {
        while true {
            available.wait()
            guard let job = jobs.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) else { continue }
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}

/// An audit destination that drops everything: the benchmark measures the gate, not a disk.
struct DiscardingSink: AuditSink {
    func write(_ events: [AuditEvent]) async throws {}
}

/// Where the benchmark's batch audit destination puts the events.
enum AuditKind: String, Sendable {
    /// Nowhere: the gate alone is measured.
    case discard = "batch audit"
    /// Encoded as JSON lines and written to /dev/null, as to a collector's pipe.
    case jsonLines = "JSON-lines audit (batch, to /dev/null)"
    /// The signed, hash-chained file log on a real file, fsync every 1,000 events.
    case file = "file audit (batch, fsync every 1000)"
}

/// A gatekeeper over the seed policy with a fixed clock, and 64 valid tokens of a data scientist.
final class GatekeeperState: Sendable {
    let gatekeeper: Gatekeeper
    let tokens: [String]
    let destinationName: String
    let executors = (0..<ProcessInfo.processInfo.activeProcessorCount).map { ThreadExecutor("gatekeeper-benchmark-\($0)") }

    init(algorithm: JWSAlgorithm, audit: AuditKind) throws {
        let now = Date(timeIntervalSince1970: 1_795_514_400) // Tuesday 2026-11-24 10:00 UTC
        let clock: @Sendable () -> Date = { now }
        let users = try KeyRing(signingKey: try SigningKey.generate(algorithm: algorithm, keyID: "users"))
        let issuer = TokenIssuer(keyRing: users, clock: clock)
        tokens = try (0..<64).map { _ in
            try issuer.issue(subject: "alice", lifetime: 900, custom: ["roles": .array([.string("data_scientist")])])
        }
        let destination: AuditDestination
        switch audit {
        case .discard:
            destination = AuditDestination(name: "discard", sink: DiscardingSink(), mode: .batch)
        case .jsonLines:
            // Left open for the process's life, like the benchmark state.
            let devNull = open("/dev/null", O_WRONLY)
            guard devNull >= 0 else { throw CocoaError(.fileNoSuchFile) }
            destination = AuditDestination(name: "json", sink: StandardOutputSink(fileDescriptor: devNull), mode: .batch)
        case .file:
            // A real file, unlinked at once: the sink keeps writing to it, and the disk gets the
            // space back when the process ends.
            let path = NSTemporaryDirectory() + "gatekeeper-benchmark-\(UUID().uuidString).log"
            let sink = try AuditFileSink(path: path, configuration: ChainedLogConfiguration(
                signingKey: try Ed25519.PrivateKey(), fsync: .every(events: 1000, milliseconds: Int.max), clock: clock))
            unlink(path)
            unlink(path + ".ckpt")  // its checkpoint file, likewise
            destination = AuditDestination(name: "file", sink: sink, mode: .batch)
        }
        let policy = try PolicyLoader.load(yaml: """
            policies:
              - id: data_scientist_training
                subjects: [{role: data_scientist}]
                resources: [{type: dataset, sensitivity: low}, {type: training_cluster, environment: dev}]
                actions: [read_data, submit_training_job, read_metrics]
                conditions: [{ip_range: 10.0.0.0/8}, {time_window: business_hours}]
            """)
        destinationName = destination.name
        gatekeeper = try Gatekeeper(.init(
            tokenVerifier: TokenVerifier(keyRing: users, options: .init(clock: clock)),
            policy: try PolicyDecisionPoint(policy),
            auditDestinations: [destination],
            tokenIssuer: TokenIssuer(keyRing: try KeyRing(signingKey: try SigningKey.generate(algorithm: algorithm, keyID: "grants")),
                                     clock: clock),
            clock: clock))
    }

    /// A request's values with storage of their own: a dataset read from 10.1.2.3 with the token.
    struct Request: Sendable {
        let token: String
        let resource: AccessRequest.Resource
        let context: Gatekeeper.RequestContext
    }

    /// One request per token, with storage of their own.
    func ownRequests() -> [Request] {
        tokens.map { token in
            Request(token: String(decoding: Array(token.utf8), as: UTF8.self),
                    resource: AccessRequest.Resource(type: .dataset, id: "customers", attributes: ["sensitivity": "low"]),
                    context: Gatekeeper.RequestContext(ip: IPAddress("10.1.2.3")))
        }
    }

    /// Events the audit destination has dropped so far (counted, never silent).
    func droppedEvents() async -> Int {
        await gatekeeper.auditLog.droppedCount(destination: destinationName)
    }

    func authorize(_ request: Request) async -> AccessOutcome {
        await gatekeeper.authorize(credential: .bearerToken(request.token), action: .readData, resource: request.resource,
                                   context: request.context)
    }
}
