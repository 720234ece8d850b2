import Benchmark
import ZeroTrustCrypto

// The crypto suite: AEAD seal/open, HMAC-SHA256 and signatures, next to the `openssl speed`
// figures in Documentation/Performance.md. Each benchmark keys its context or key once, outside
// the measured loop, so that the figures are the steady-state cost of one operation.
//
//     swift package --package-path Benchmarks benchmark --target CryptoBenchmarks --scale
//
// One measured iteration is `benchmark.scaledIterations.count` operations: 1,000 for AEAD and HMAC
// up to 16 KiB, 1 for 1 MiB and for signatures. With `--scale`, `throughput` is operations per
// second; wall clock and `mallocCountTotal` stay per iteration (divide by 1,000 where it applies).
// `MB/s` is the payload rate. Documentation/Performance.md has the tables and how they were made.
let benchmarks: @Sendable () -> Void = {
    registerAEADBenchmarks()
    registerMACBenchmarks()
    registerSignatureBenchmarks()
}
