import Benchmark
import ZeroTrustCrypto

/// Caller-owned buffers for one algorithm and size: the plaintext (sealed in place), a ciphertext
/// and tag made once for the open benchmark, and the buffer that open writes into.
private final class AEADBuffers {
    let algorithm: AEADAlgorithm
    let context: AEADContext
    var message: [UInt8]
    let ciphertext: [UInt8]
    let ciphertextTag: [UInt8]
    var opened: [UInt8]
    var tag: [UInt8]
    let nonce: [UInt8]
    /// 13 bytes: the length OpenSSL's `speed -aead` authenticates (a TLS record header).
    let associatedData: [UInt8]

    init(algorithm: AEADAlgorithm, byteCount: Int) throws {
        let context = try AEADContext(algorithm: algorithm, key: SymmetricKey(size: .bits256))
        let nonce = pattern(algorithm.nonceByteCount)
        let associatedData = pattern(13)
        message = pattern(byteCount)
        opened = [UInt8](repeating: 0, count: byteCount)
        tag = [UInt8](repeating: 0, count: algorithm.tagByteCount)
        var ciphertext = pattern(byteCount)
        var ciphertextTag = [UInt8](repeating: 0, count: algorithm.tagByteCount)
        try ciphertext.withUnsafeMutableBytes { buffer in
            try ciphertextTag.withUnsafeMutableBytes { t in
                try nonce.withUnsafeBytes { n in
                    try associatedData.withUnsafeBytes { aad in
                        try context.seal(UnsafeRawBufferPointer(buffer), nonce: n, authenticating: aad, into: buffer, tag: t)
                    }
                }
            }
        }
        self.algorithm = algorithm
        self.context = context
        self.nonce = nonce
        self.associatedData = associatedData
        self.ciphertext = ciphertext
        self.ciphertextTag = ciphertextTag
    }

    /// Seals `message` in place, `benchmark.scaledIterations.count` times (each pass re-encrypts
    /// the previous ciphertext; the cost is the same).
    func sealInPlace(_ benchmark: Benchmark) throws {
        try message.withUnsafeMutableBytes { buffer in
            try tag.withUnsafeMutableBytes { t in
                try nonce.withUnsafeBytes { n in
                    try associatedData.withUnsafeBytes { aad in
                        let input = UnsafeRawBufferPointer(buffer)
                        try measureBytes(benchmark, bytesPerOperation: buffer.count) {
                            try context.seal(input, nonce: n, authenticating: aad, into: buffer, tag: t)
                        }
                    }
                }
            }
            blackHole(buffer.first)
        }
        blackHole(tag)
    }

    /// Opens the same ciphertext into the caller's `opened` buffer (out of place, so that the
    /// ciphertext stays valid for the next pass).
    func open(_ benchmark: Benchmark) throws {
        try opened.withUnsafeMutableBytes { output in
            try ciphertext.withUnsafeBytes { input in
                try ciphertextTag.withUnsafeBytes { t in
                    try nonce.withUnsafeBytes { n in
                        try associatedData.withUnsafeBytes { aad in
                            try measureBytes(benchmark, bytesPerOperation: input.count) {
                                try context.open(input, tag: t, nonce: n, authenticating: aad, into: output)
                            }
                        }
                    }
                }
            }
            blackHole(output.first)
        }
    }
}

private let algorithmNames: [(AEADAlgorithm, String)] = [
    (.aes256GCM, "AES-256-GCM"),
    (.chacha20Poly1305, "ChaCha20-Poly1305"),
    (.xchacha20Poly1305, "XChaCha20-Poly1305"),
]

func registerAEADBenchmarks() {
    for (algorithm, name) in algorithmNames {
        for size in aeadSizes() {
            let configuration = configuration(scaling: size.scaling, reportsBytes: true)
            // Buffers are made in `setup`, so only the benchmarks that run pay for them.
            Benchmark("\(name) seal \(size.name) (AEADContext, in place)", configuration: configuration) { benchmark, buffers in
                do { try buffers.sealInPlace(benchmark) } catch { benchmark.error("\(error)") }
            } setup: {
                try AEADBuffers(algorithm: algorithm, byteCount: size.bytes)
            }
            Benchmark("\(name) open \(size.name) (AEADContext)", configuration: configuration) { benchmark, buffers in
                do { try buffers.open(benchmark) } catch { benchmark.error("\(error)") }
            } setup: {
                try AEADBuffers(algorithm: algorithm, byteCount: size.bytes)
            }
        }
    }

    // The allocating one-shot API, for comparison: a new cipher context, a random nonce and new
    // arrays on every call.
    let oneShot = configuration(scaling: .kilo, reportsBytes: true)
    Benchmark("AES-256-GCM seal 1 KiB (one-shot AES256GCM.seal)", configuration: oneShot) { (benchmark, state: (SymmetricKey, [UInt8])) in
        let (key, message) = state
        do {
            try measureBytes(benchmark, bytesPerOperation: message.count) {
                blackHole(try AES256GCM.seal(message, using: key))
            }
        } catch { benchmark.error("\(error)") }
    } setup: {
        (SymmetricKey(size: .bits256), pattern(1024))
    }
    Benchmark("AES-256-GCM open 1 KiB (one-shot AES256GCM.open)", configuration: oneShot) { (benchmark, state: (SymmetricKey, AEADSealedBox)) in
        let (key, box) = state
        do {
            try measureBytes(benchmark, bytesPerOperation: box.ciphertext.count) {
                blackHole(try AES256GCM.open(box, using: key))
            }
        } catch { benchmark.error("\(error)") }
    } setup: {
        let key = SymmetricKey(size: .bits256)
        return (key, try AES256GCM.seal(pattern(1024), using: key))
    }
}
