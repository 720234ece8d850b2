import Benchmark
import ZeroTrustCrypto

// The crypto suite: AEAD seal/open, HMAC-SHA256 and signatures, next to the `openssl speed`
// figures in Documentation/Performance.md. Each benchmark keys its context or key once, outside
// the measured loop, so that the figures are the steady-state cost of one operation.
//
//     swift package --package-path Benchmarks benchmark --target CryptoBenchmarks --scale
//
// With `--scale`, time and allocation counts are per operation (one pass of
// `benchmark.scaledIterations`), and `throughput` is operations per second.
let benchmarks: @Sendable () -> Void = {
    registerAEADBenchmarks()
    registerMACBenchmarks()
    registerSignatureBenchmarks()
}
