import Benchmark
import ZeroTrustCrypto
import ZeroTrustEnvelope
import ZeroTrustKitTesting

// The envelope suite: streaming encryption and decryption of 1 GiB generated in memory (no disk),
// with throughput and peak resident memory, and one-shot seal/open of 1 KiB with a cached data
// key. Compare with `openssl speed -seconds 2 -evp aes-256-gcm` (16 KiB column) run in the same
// sitting; results in Documentation/Performance.md.
//
//     swift package --package-path Benchmarks benchmark --target EnvelopeBenchmarks
let benchmarks: @Sendable () -> Void = {
    let streaming = Benchmark.Configuration(
        metrics: [.wallClock, .peakMemoryResident, .throughput, megabytesPerSecond],
        warmupIterations: 0, scalingFactor: .one, maxDuration: .seconds(30), maxIterations: 3
    )
    for algorithm in EnvelopeAlgorithm.allCases {
        Benchmark("Envelope encrypt 1 GiB streaming (\(algorithm), 64 KiB segments)", configuration: streaming) { benchmark, state in
            do { try state.encrypt(benchmark) } catch { benchmark.error("\(error)") }
        } setup: {
            try await StreamingState(algorithm: algorithm)
        }
        Benchmark("Envelope decrypt 1 GiB streaming (\(algorithm), 64 KiB segments)", configuration: streaming) { benchmark, state in
            do { try state.decrypt(benchmark) } catch { benchmark.error("\(error)") }
        } setup: {
            try await StreamingState(algorithm: algorithm)
        }
    }

    // The process's own resident memory with the same setup and no envelope work: subtract it
    // from the streaming benchmarks' peak to get what the envelope code itself uses.
    Benchmark("Baseline: streaming setup only, no encryption", configuration: streaming) { benchmark, state in
        blackHole(state.plaintext.count)
    } setup: {
        try await StreamingState(algorithm: .aes256GCM)
    }

    let oneShot = Benchmark.Configuration(
        metrics: [.throughput, .wallClock, .mallocCountTotal], warmupIterations: 3, scalingFactor: .kilo,
        maxDuration: .seconds(3), maxIterations: 100_000
    )
    Benchmark("Envelope seal 1 KiB one-shot (cached data key, EnvelopeSealer)", configuration: oneShot) { benchmark, state in
        do {
            for _ in benchmark.scaledIterations {
                blackHole(try state.sealer.seal(state.message))
            }
        } catch { benchmark.error("\(error)") }
    } setup: {
        try await OneShotState()
    }
    Benchmark("Envelope seal 1 KiB one-shot (data key given, Envelope.seal)", configuration: oneShot) { benchmark, state in
        do {
            for _ in benchmark.scaledIterations {
                blackHole(try Envelope.seal(state.message, dataKey: state.dataKey, context: state.context))
            }
        } catch { benchmark.error("\(error)") }
    } setup: {
        try await OneShotState()
    }
    Benchmark("Envelope open 1 KiB one-shot (unwrapped data key)", configuration: oneShot) { benchmark, state in
        do {
            for _ in benchmark.scaledIterations {
                blackHole(try Envelope.open(state.sealed, dataKey: state.dataKey.key))
            }
        } catch { benchmark.error("\(error)") }
    } setup: {
        try await OneShotState()
    }
    Benchmark("Envelope seal 1 KiB through DataKeyCache (async, InMemoryKMS)", configuration: oneShot) { benchmark, state in
        do {
            for _ in benchmark.scaledIterations {
                blackHole(try await Envelope.seal(state.message, keyID: "bench", context: state.context, kms: state.kms, cache: state.cache))
            }
        } catch { benchmark.error("\(error)") }
    } setup: {
        try await OneShotState()
    }
}

/// Payload throughput in MB/s (10^6 bytes per second).
let megabytesPerSecond = BenchmarkMetric.custom("MB/s", polarity: .prefersLarger, useScalingFactor: false)

/// 1 GiB made of one 1 MiB pattern chunk fed 1024 times; ciphertext goes to a sink that only
/// counts, so the figures are the envelope's own cost and memory (nothing holds 1 GiB).
final class StreamingState {
    static let chunk = 1 << 20
    static let chunks = 1024
    let algorithm: EnvelopeAlgorithm
    let dataKey: DataKey
    let plaintext: [UInt8]

    init(algorithm: EnvelopeAlgorithm) async throws {
        self.algorithm = algorithm
        let kms = InMemoryKMS()
        await kms.createKey("bench", algorithm: algorithm)
        dataKey = try await kms.generateDataKey(keyID: "bench", context: .empty)
        plaintext = (0..<Self.chunk).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
    }

    func encrypt(_ benchmark: Benchmark) throws {
        var total = 0
        let encryptor = try EnvelopeEncryptor(dataKey: dataKey, context: .empty, algorithm: algorithm)
        let clock = ContinuousClock()
        let start = clock.now
        try plaintext.withUnsafeBytes { chunk in
            for _ in 0..<Self.chunks { try encryptor.update(chunk) { total &+= $0.count } }
        }
        try encryptor.finish { total &+= $0.count }
        record(benchmark, clock: clock, elapsed: start.duration(to: clock.now))
        blackHole(total)
    }

    /// Decrypts a 1 GiB envelope that an encryptor produces segment by segment in lock step (no
    /// 1 GiB buffer); only the decryptor's calls are timed for the MB/s figure.
    func decrypt(_ benchmark: Benchmark) throws {
        let encryptor = try EnvelopeEncryptor(dataKey: dataKey, context: .empty, algorithm: algorithm)
        var decryptor: EnvelopeDecryptor?
        var elapsed = Duration.zero
        var total = 0
        let clock = ContinuousClock()
        func feed(_ bytes: UnsafeRawBufferPointer) throws {
            guard let decryptor else {
                // The encryptor's first output is the whole header.
                decryptor = try EnvelopeDecryptor(header: try EnvelopeHeader(parsing: Array(bytes)), dataKey: dataKey.key)
                return
            }
            let start = clock.now
            try decryptor.update(bytes) { total &+= $0.count }
            elapsed += start.duration(to: clock.now)
        }
        try plaintext.withUnsafeBytes { chunk in
            for _ in 0..<Self.chunks { try encryptor.update(chunk) { try feed($0) } }
        }
        try encryptor.finish { try feed($0) }
        let start = clock.now
        try decryptor?.finish { total &+= $0.count }
        elapsed += start.duration(to: clock.now)
        precondition(total == Self.chunk * Self.chunks, "decrypted \(total) bytes")
        record(benchmark, clock: clock, elapsed: elapsed)
    }

    private func record(_ benchmark: Benchmark, clock: ContinuousClock, elapsed: Duration) {
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        if seconds > 0 { benchmark.measurement(megabytesPerSecond, Int(Double(Self.chunk * Self.chunks) / seconds / 1e6)) }
    }
}

/// A 1 KiB message, a data key obtained once, its envelope, and a cache over an InMemoryKMS.
final class OneShotState {
    let message = [UInt8](repeating: 0x5A, count: 1024)
    let context: EncryptionContext = ["data_id": "bench"]
    let kms = InMemoryKMS()
    let cache: DataKeyCache
    let dataKey: DataKey
    let sealer: EnvelopeSealer
    let sealed: [UInt8]

    init() async throws {
        await kms.createKey("bench")
        cache = try DataKeyCache(limits: .init(maximumAge: .seconds(3600), maximumMessages: 1 << 40, maximumBytes: 1 << 60))
        dataKey = try await kms.generateDataKey(keyID: "bench", context: context)
        sealer = try EnvelopeSealer(dataKey: dataKey, context: context)
        sealed = try sealer.seal(message)
    }
}
