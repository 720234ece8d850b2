import Benchmark
import Foundation
import Synchronization
import ZeroTrustKit

// Full `Gatekeeper.authorize` calls with a bearer token: verify the token (HS256 or EdDSA), decide
// with the seed policy (a permit: data scientist, Tuesday 10:00, 10.x), record the access event
// to a batch audit destination, and mint the scoped grant token (signed with the same algorithm).
// One task, and one task per core. The per-core tasks run on executors of their own (one thread
// each, outside Swift's cooperative pool): package-benchmark's runner blocks one pool thread while
// an async benchmark runs, so on a 2-core machine tasks on the pool share the one thread left (a
// pure spin loop in 2 tasks measured the same throughput as in 1).
//
//     swift package --package-path Benchmarks benchmark --target GatekeeperBenchmarks
let benchmarks: @Sendable () -> Void = {
    let configuration = Benchmark.Configuration(
        metrics: [.throughput, .wallClock, .mallocCountTotal],
        warmupIterations: 1,
        scalingFactor: .kilo,
        maxDuration: .seconds(3),
        maxIterations: 10_000
    )
    let cores = ProcessInfo.processInfo.activeProcessorCount

    for algorithm in [JWSAlgorithm.hs256, .edDSA] {
        Benchmark("authorize, bearer \(algorithm.rawValue), batch audit, 1 task", configuration: configuration) { benchmark, state in
            let request = state.ownRequest()
            for _ in benchmark.scaledIterations {
                let outcome = await state.authorize(request)
                if !outcome.granted { benchmark.error("denied: \(outcome.decision.reason)") }
            }
        } setup: {
            try GatekeeperState(algorithm: algorithm)
        }

        Benchmark("authorize, bearer \(algorithm.rawValue), batch audit, \(cores) tasks", configuration: configuration) { benchmark, state in
            let total = benchmark.scaledIterations.count
            await withTaskGroup(of: Void.self) { group in
                for worker in 0..<cores {
                    let share = total / cores + (worker < total % cores ? 1 : 0)
                    group.addTask(executorPreference: state.executors[worker]) {
                        // Each task's own request values, as separate connections would parse:
                        // one token `String` shared by both cores measured the counting of
                        // references on it, not the gate.
                        let request = state.ownRequest()
                        for _ in 0..<share { blackHole(await state.authorize(request)) }
                    }
                }
            }
        } setup: {
            try GatekeeperState(algorithm: algorithm)
        }
    }
}

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

/// A gatekeeper over the seed policy with a fixed clock, and a valid token for a data scientist.
final class GatekeeperState: Sendable {
    let gatekeeper: Gatekeeper
    let token: String
    let executors = (0..<ProcessInfo.processInfo.activeProcessorCount).map { ThreadExecutor("gatekeeper-benchmark-\($0)") }

    init(algorithm: JWSAlgorithm) throws {
        let now = Date(timeIntervalSince1970: 1_795_514_400) // Tuesday 2026-11-24 10:00 UTC
        let clock: @Sendable () -> Date = { now }
        let users = try KeyRing(signingKey: try SigningKey.generate(algorithm: algorithm, keyID: "users"))
        token = try TokenIssuer(keyRing: users, clock: clock).issue(
            subject: "alice", lifetime: 900, custom: ["roles": .array([.string("data_scientist")])])
        let policy = try PolicyLoader.load(yaml: """
            policies:
              - id: data_scientist_training
                subjects: [{role: data_scientist}]
                resources: [{type: dataset, sensitivity: low}, {type: training_cluster, environment: dev}]
                actions: [read_data, submit_training_job, read_metrics]
                conditions: [{ip_range: 10.0.0.0/8}, {time_window: business_hours}]
            """)
        gatekeeper = try Gatekeeper(.init(
            tokenVerifier: TokenVerifier(keyRing: users, options: .init(clock: clock)),
            policy: try PolicyDecisionPoint(policy),
            auditDestinations: [AuditDestination(name: "discard", sink: DiscardingSink(), mode: .batch)],
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

    func ownRequest() -> Request {
        Request(token: String(decoding: Array(token.utf8), as: UTF8.self),
                resource: AccessRequest.Resource(type: .dataset, id: "customers", attributes: ["sensitivity": "low"]),
                context: Gatekeeper.RequestContext(ip: IPAddress("10.1.2.3")))
    }

    func authorize(_ request: Request) async -> AccessOutcome {
        await gatekeeper.authorize(credential: .bearerToken(request.token), action: .readData, resource: request.resource,
                                   context: request.context)
    }
}
