import Benchmark
import Foundation
import ZeroTrustPolicy

/// The seed policy file (the same as ../shared/design/policy-example.yaml).
let seedYAML = """
    version: 1
    defaults:
      ttl: 3600
      timezone: UTC
    time_windows:
      business_hours:
        days: [mon, tue, wed, thu, fri]
        start: "09:00"
        end: "17:00"
    policies:
      - id: data_scientist_training
        subjects:
          - role: data_scientist
        resources:
          - type: dataset
            sensitivity: low
          - type: training_cluster
            environment: dev
        actions: [read_data, submit_training_job, read_metrics]
        conditions:
          - ip_range: 10.0.0.0/8
          - time_window: business_hours
      - id: production_model_deployment
        subjects:
          - role: mlops_engineer
          - approval: security_team
        resources:
          - type: model
            stage: production
          - type: deployment_platform
            environment: prod
        actions: [deploy_model, monitor_performance]
        conditions:
          - mfa_required: true
          - audit_logged: true
      - id: block_quarantined_models
        effect: deny
        subjects:
          - role: "*"
        resources:
          - type: model
            quarantined: "true"
        actions: ["*"]
    """

/// `count` policies with distinct roles and resource types, so that a request matches about one;
/// one deny on a wildcard action keeps the wildcard buckets in play.
func syntheticSet(_ count: Int) throws -> PolicySet {
    var policies: [Policy] = []
    policies.reserveCapacity(count)
    let actions: [Action] = [.readData, .submitTrainingJob, .readMetrics, .deployModel]
    for i in 0..<count {
        policies.append(Policy(
            id: "policy_\(i)",
            subjects: SubjectMatcher(roles: [Role("role_\(i)")]),
            resources: [ResourceMatcher(ResourceType("type_\(i)"), ["env": "dev"])],
            actions: [actions[i % actions.count], .readMetrics],
            conditions: [.ipRange([try CIDR("10.0.0.0/8")]), .timeWindow(TimeWindow.businessHoursName)]
        ))
    }
    policies.append(Policy(id: "block_quarantined", effect: .deny, subjects: SubjectMatcher(roles: [.any]),
                           resources: [ResourceMatcher(.any, ["quarantined": "true"])], actions: [.any]))
    return PolicySet(policies: policies)
}

func syntheticRequest(_ i: Int) -> AccessRequest {
    AccessRequest(
        subject: .init(id: "u\(i)", roles: [Role("role_\(i)")]),
        resource: .init(type: ResourceType("type_\(i)"), id: "r\(i)", attributes: ["env": "dev"]),
        action: .readMetrics,
        context: .init(ip: IPAddress("10.1.2.3"), time: RFC3339.date(from: "2026-11-24T10:00:00Z"), mfaVerified: true)
    )
}

/// Compiled once per process (global `let`s are initialised lazily and exactly once), so the
/// measured closures only decide.
enum Fixture {
    static let seed: PolicyDecisionPoint? = {
        guard let set = try? PolicyLoader.load(yaml: seedYAML) else { return nil }
        return try? PolicyDecisionPoint(set)
    }()

    /// The seed set with `defaults.timezone: America/New_York` (a DST zone: table lookup).
    static let seedNewYork: PolicyDecisionPoint? = {
        guard let set = try? PolicyLoader.load(yaml: seedYAML.replacingOccurrences(of: "timezone: UTC", with: "timezone: America/New_York"))
        else { return nil }
        return try? PolicyDecisionPoint(set)
    }()

    static let seedPermitNewYork = AccessRequest(
        subject: .init(id: "alice", roles: [.dataScientist]),
        resource: .init(type: .dataset, id: "ds-1", attributes: ["sensitivity": "low"]),
        action: .readData,
        context: .init(ip: IPAddress("10.1.2.3"), time: RFC3339.date(from: "2026-11-24T15:00:00Z"), mfaVerified: false)
    )

    static let seedPermit = AccessRequest(
        subject: .init(id: "alice", roles: [.dataScientist]),
        resource: .init(type: .dataset, id: "ds-1", attributes: ["sensitivity": "low"]),
        action: .readData,
        context: .init(ip: IPAddress("10.1.2.3"), time: RFC3339.date(from: "2026-11-24T10:00:00Z"), mfaVerified: false)
    )

    static let seedDeny = AccessRequest(
        subject: .init(id: "bob", roles: [.mlopsEngineer], approvals: [.securityTeam]),
        resource: .init(type: .model, id: "m-1", attributes: ["stage": "production", "quarantined": "true"]),
        action: .deployModel,
        context: .init(ip: IPAddress("10.1.2.3"), time: RFC3339.date(from: "2026-11-24T10:00:00Z"), mfaVerified: true)
    )

    static let sizes = [10, 100, 1_000, 10_000, 100_000]

    static let synthetic: [Int: PolicyDecisionPoint] = {
        var out: [Int: PolicyDecisionPoint] = [:]
        for count in sizes {
            if let set = try? syntheticSet(count), let pdp = try? PolicyDecisionPoint(set) { out[count] = pdp }
        }
        return out
    }()
}

/// Benchmark names avoid spaces so that the committed p90 thresholds in `Thresholds/` are found
/// again by `swift package benchmark thresholds check` (run from this directory).
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.throughput, .wallClock, .mallocCountTotal],
        timeUnits: .nanoseconds,
        warmupIterations: 10,
        scalingFactor: .kilo,
        maxDuration: .seconds(3),
        maxIterations: 2_000,
        // Tolerances for `thresholds check` against Thresholds/*.p90.json: timing on a shared
        // 2-core machine is noisy (±30 %); allocations must stay exactly zero.
        thresholds: [
            .wallClock: .init(relative: [.p90: 30.0]),
            .throughput: .init(relative: [.p90: 30.0]),
            .mallocCountTotal: .init(absolute: [.p90: 0]),
        ]
    )

    Benchmark("seed_permit_utc") { benchmark in
        guard let pdp = Fixture.seed else { return }
        let request = Fixture.seedPermit
        for _ in benchmark.scaledIterations {
            blackHole(pdp.authorize(request))
        }
    }

    Benchmark("seed_permit_new_york") { benchmark in
        guard let pdp = Fixture.seedNewYork, pdp.authorize(Fixture.seedPermitNewYork).authorized else { return }
        let request = Fixture.seedPermitNewYork
        for _ in benchmark.scaledIterations {
            blackHole(pdp.authorize(request))
        }
    }

    Benchmark("seed_deny_quarantined") { benchmark in
        guard let pdp = Fixture.seed else { return }
        let request = Fixture.seedDeny
        for _ in benchmark.scaledIterations {
            blackHole(pdp.authorize(request))
        }
    }

    for count in Fixture.sizes {
        Benchmark("synthetic_\(count)") { benchmark in
            guard let pdp = Fixture.synthetic[count] else { return }
            let requests = (0..<64).map { syntheticRequest(($0 * 7919) % count) }
            benchmark.startMeasurement()
            var i = 0
            for _ in benchmark.scaledIterations {
                blackHole(pdp.authorize(requests[i & 63]))
                i &+= 1
            }
        }
    }
}
