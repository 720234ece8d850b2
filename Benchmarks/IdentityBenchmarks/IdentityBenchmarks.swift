import Benchmark
import Foundation
import IdentityBaseline
import ZeroTrustIdentity

// The identity suite: verifying a 3-certificate client chain (P-256 root → intermediate → leaf)
// with ChainVerifier, and with OpenSSL's X509_verify_cert called directly from C in the same run
// (IdentityBaseline). The target is ChainVerifier ≥ 0.9× the direct call.
//
//     swift package --package-path Benchmarks benchmark --target IdentityBenchmarks --scale
//
// "ChainVerifier ÷ X509_verify_cert" alternates batches of both and records the ratio of their
// rates in percent, so that machine noise affects both sides alike.
let benchmarks: @Sendable () -> Void = {
    let configuration = Benchmark.Configuration(
        metrics: [.throughput, .wallClock, .mallocCountTotal], warmupIterations: 3, scalingFactor: .one,
        maxDuration: .seconds(2), maxIterations: 100_000)

    Benchmark("ChainVerifier.verify 3-cert P-256 chain", configuration: configuration) { benchmark, fixture in
        for _ in benchmark.scaledIterations {
            guard fixture.verifyWithChainVerifier() else { return benchmark.error("ChainVerifier rejected the chain") }
        }
    } setup: {
        try Fixture()
    }

    Benchmark("X509_verify_cert direct 3-cert P-256 chain", configuration: configuration) { benchmark, fixture in
        for _ in benchmark.scaledIterations {
            guard fixture.verifyDirectly() else { return benchmark.error("X509_verify_cert rejected the chain") }
        }
    } setup: {
        try Fixture()
    }

    let ratio = BenchmarkMetric.custom("ratio %", polarity: .prefersLarger, useScalingFactor: false)
    Benchmark("ChainVerifier ÷ X509_verify_cert", configuration: .init(metrics: [ratio], warmupIterations: 1, scalingFactor: .one,
                                                                     maxDuration: .seconds(4), maxIterations: 20)) { benchmark, fixture in
        let clock = ContinuousClock()
        let batch = 500
        var ours = Duration.zero, direct = Duration.zero
        for _ in 0..<4 {
            let start = clock.now
            for _ in 0..<batch { _ = fixture.verifyWithChainVerifier() }
            let middle = clock.now
            for _ in 0..<batch { _ = fixture.verifyDirectly() }
            ours += start.duration(to: middle)
            direct += middle.duration(to: clock.now)
        }
        // rate(ours) / rate(direct) = time(direct) / time(ours)
        benchmark.measurement(ratio, Int((direct / ours) * 100))
    } setup: {
        try Fixture()
    }
}

/// One chain, verifiable both ways. The C chain is immutable after creation.
final class Fixture: @unchecked Sendable {
    let verifier: ChainVerifier
    let leaf: Certificate
    let intermediates: [Certificate]
    let direct: OpaquePointer

    init() throws {
        let now = Date(timeIntervalSince1970: 1_780_000_000)
        let ca = try DevelopmentCA.create(name: "Bench", intermediate: true, now: now)
        var request = DevelopmentCA.LeafRequest(commonName: "bench")
        request.spiffeID = try SPIFFEID(parsing: "spiffe://bench.example/ml/worker")
        let issued = try ca.issue(request, now: now)
        let at = now.addingTimeInterval(3600)
        verifier = ChainVerifier(trustStore: try TrustStore(anchors: [ca.root]), policy: VerificationPolicy(verificationTime: at))
        leaf = issued.certificate
        intermediates = issued.intermediates
        let root = ca.root.derRepresentation, intermediate = issued.intermediates[0].derRepresentation, leafDER = leaf.derRepresentation
        guard let chain = identity_baseline_chain_new(root, root.count, intermediate, intermediate.count, leafDER, leafDER.count,
                                                      Int64(at.timeIntervalSince1970))
        else { throw CocoaError(.coderInvalidValue) }
        direct = chain
    }

    deinit { identity_baseline_chain_free(direct) }

    @inline(__always) func verifyWithChainVerifier() -> Bool {
        (try? verifier.verify(leaf, intermediates: intermediates)) != nil
    }

    @inline(__always) func verifyDirectly() -> Bool {
        identity_baseline_chain_verify(direct) == 1
    }
}
