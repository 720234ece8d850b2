import Benchmark
import ZeroTrustCrypto

/// Signs and verifies a 32-byte message (the size of a digest or a token's signing input hash;
/// `openssl speed` signs 20–36 bytes).
private let message = pattern(32)

private func signatureConfiguration() -> Benchmark.Configuration {
    configuration(scaling: .one, reportsBytes: false)
}

func registerSignatureBenchmarks() {
    // Ed25519 (libsodium)
    Benchmark("Ed25519 sign", configuration: signatureConfiguration()) { benchmark, key in
        do {
            for _ in benchmark.scaledIterations { blackHole(try key.signature(for: message)) }
        } catch { benchmark.error("\(error)") }
    } setup: {
        try Ed25519.PrivateKey()
    }
    Benchmark("Ed25519 verify", configuration: signatureConfiguration()) { (benchmark, state: (Ed25519.PublicKey, [UInt8])) in
        let (publicKey, signature) = state
        for _ in benchmark.scaledIterations {
            guard publicKey.isValidSignature(signature, for: message) else { return benchmark.error("Ed25519 verify failed") }
        }
    } setup: {
        let key = try Ed25519.PrivateKey()
        return (key.publicKey, try key.signature(for: message))
    }

    // ECDSA P-256 with SHA-256 (OpenSSL)
    Benchmark("P-256 ECDSA sign", configuration: signatureConfiguration()) { benchmark, key in
        do {
            for _ in benchmark.scaledIterations { blackHole(try key.signature(for: message)) }
        } catch { benchmark.error("\(error)") }
    } setup: {
        try P256.PrivateKey()
    }
    Benchmark("P-256 ECDSA verify", configuration: signatureConfiguration()) { (benchmark, state: (P256.PublicKey, P256.Signature)) in
        let (publicKey, signature) = state
        for _ in benchmark.scaledIterations {
            guard publicKey.isValidSignature(signature, for: message) else { return benchmark.error("P-256 verify failed") }
        }
    } setup: {
        let key = try P256.PrivateKey()
        return (key.publicKey, try key.signature(for: message))
    }

    // RSA-2048 with SHA-256 (OpenSSL). PKCS#1 v1.5 is what `openssl speed rsa2048` measures; PSS
    // is shown as well because it is the padding ZeroTrustKit recommends.
    for padding in [RSA.SignaturePadding.pkcs1v15, .pss] {
        let label = padding == .pss ? "PSS" : "PKCS#1 v1.5"
        Benchmark("RSA-2048 \(label) sign", configuration: signatureConfiguration()) { benchmark, key in
            do {
                for _ in benchmark.scaledIterations {
                    blackHole(try key.signature(for: message, padding: padding, algorithm: .sha256))
                }
            } catch { benchmark.error("\(error)") }
        } setup: {
            try RSA.PrivateKey(keySize: 2048)
        }
        Benchmark("RSA-2048 \(label) verify", configuration: signatureConfiguration()) { (benchmark, state: (RSA.PublicKey, [UInt8])) in
            let (publicKey, signature) = state
            for _ in benchmark.scaledIterations {
                guard publicKey.isValidSignature(signature, for: message, padding: padding, algorithm: .sha256) else {
                    return benchmark.error("RSA verify failed")
                }
            }
        } setup: {
            let key = try RSA.PrivateKey(keySize: 2048)
            return (key.publicKey, try key.signature(for: message, padding: padding, algorithm: .sha256))
        }
    }
}
