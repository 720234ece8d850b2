import Benchmark

/// Payload throughput in MB/s (10^6 bytes per second), measured inside the loop for the AEAD and
/// HMAC benchmarks. Not scaled: it is already a rate.
let megabytesPerSecond = BenchmarkMetric.custom("MB/s", polarity: .prefersLarger, useScalingFactor: false)

/// The settings every crypto benchmark shares: throughput, wall clock and malloc counts, a short
/// run (at most 2 s each, so the suite finishes in a few minutes on two cores), and warm-up
/// iterations so that lazily created OpenSSL contexts are excluded from the steady state.
func configuration(scaling: BenchmarkScalingFactor, reportsBytes: Bool) -> Benchmark.Configuration {
    Benchmark.Configuration(
        metrics: [.throughput, .wallClock, .mallocCountTotal] + (reportsBytes ? [megabytesPerSecond] : []),
        warmupIterations: 3,
        scalingFactor: scaling,
        maxDuration: .seconds(2),
        maxIterations: 100_000
    )
}

/// Runs `operation` once per scaled iteration and records the payload rate as ``megabytesPerSecond``.
/// The clock reads and the recording allocate nothing, so `mallocCountTotal` still counts only
/// what `operation` allocates.
@inline(__always)
func measureBytes(_ benchmark: Benchmark, bytesPerOperation: Int, _ operation: () throws -> Void) rethrows {
    let clock = ContinuousClock()
    let start = clock.now
    for _ in benchmark.scaledIterations {
        try operation()
    }
    let elapsed = start.duration(to: clock.now)
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    guard seconds > 0 else { return }
    let bytes = Double(bytesPerOperation * benchmark.scaledIterations.count)
    benchmark.measurement(megabytesPerSecond, Int(bytes / seconds / 1e6))
}

/// Payload sizes for the AEAD suite, with the number of operations per measured iteration chosen
/// so that one iteration takes roughly 0.1–5 ms. (A function: `BenchmarkScalingFactor` is not
/// `Sendable`, so it cannot sit in a global.)
func aeadSizes() -> [(name: String, bytes: Int, scaling: BenchmarkScalingFactor)] { [
    ("64 B", 64, .kilo),
    ("1 KiB", 1024, .kilo),
    ("16 KiB", 16 * 1024, .kilo),
    ("1 MiB", 1024 * 1024, .one),
] }

/// Deterministic, non-zero filler bytes (content does not affect the cost of these primitives).
func pattern(_ count: Int) -> [UInt8] {
    (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
}
