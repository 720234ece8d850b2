import Benchmark
import ZeroTrustCrypto

let benchmarks: @Sendable () -> Void = {
}
