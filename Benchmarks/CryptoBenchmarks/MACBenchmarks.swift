import Benchmark
import ZeroTrustCrypto

/// A keyed `HMACContext`, a message and a caller-owned tag buffer.
private final class HMACState {
    let key = SymmetricKey(size: .bits256)
    let context: HMACContext
    let message: [UInt8]
    var tag = [UInt8](repeating: 0, count: 32)

    init(byteCount: Int) throws {
        context = try HMACContext(key: key, algorithm: .sha256)
        message = pattern(byteCount)
    }
}

func registerMACBenchmarks() {
    for (name, bytes) in [("64 B", 64), ("1 KiB", 1024)] {
        let configuration = configuration(scaling: .kilo, reportsBytes: true)
        Benchmark("HMAC-SHA256 \(name) (HMACContext.authenticate)", configuration: configuration) { benchmark, state in
            do {
                try state.message.withUnsafeBytes { m in
                    try state.tag.withUnsafeMutableBytes { t in
                        try measureBytes(benchmark, bytesPerOperation: m.count) {
                            blackHole(try state.context.authenticate(m, into: t))
                        }
                    }
                }
                blackHole(state.tag)
            } catch { benchmark.error("\(error)") }
        } setup: {
            try HMACState(byteCount: bytes)
        }
        Benchmark("HMAC-SHA256 \(name) (one-shot HMAC.authenticationCode)", configuration: configuration) { benchmark, state in
            do {
                try measureBytes(benchmark, bytesPerOperation: state.message.count) {
                    blackHole(try HMAC.authenticationCode(for: state.message, using: state.key, algorithm: .sha256))
                }
            } catch { benchmark.error("\(error)") }
        } setup: {
            try HMACState(byteCount: bytes)
        }
    }
}
