import Benchmark
import ZeroTrustCrypto

/// One key as a keyed `HMACContext` and as a pooled `HMACKey`, a message and a caller-owned tag buffer.
private final class HMACState {
    let key = SymmetricKey(size: .bits256)
    let context: HMACContext
    let sharedKey: HMACKey
    let message: [UInt8]
    var tag = [UInt8](repeating: 0, count: 32)

    init(byteCount: Int) throws {
        context = try HMACContext(key: key, algorithm: .sha256)
        sharedKey = try HMACKey(key, algorithm: .sha256)
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
        // The Sendable, pooled key that token verification shares between tasks.
        Benchmark("HMAC-SHA256 \(name) (HMACKey.authenticate, pooled)", configuration: configuration) { benchmark, state in
            do {
                try state.message.withUnsafeBytes { m in
                    try state.tag.withUnsafeMutableBytes { t in
                        try measureBytes(benchmark, bytesPerOperation: m.count) {
                            blackHole(try state.sharedKey.authenticate(m, into: t))
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
