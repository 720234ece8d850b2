import Testing
@testable import ZeroTrustCrypto

/// Every primitive used from many tasks at once, sharing keys: results must stay correct, and
/// OpenSSL's per-thread error queue must not bleed between tasks.
@Suite("Concurrency")
struct ConcurrencyTests {
    @Test("All primitives from 64 concurrent tasks")
    func concurrentUse() async throws {
        let aeadKey = SymmetricKey(size: .bits256)
        let ed = try Ed25519.PrivateKey()
        let p256 = try P256.PrivateKey()
        let p384 = try P384.PrivateKey()
        let rsa = try RSA.PrivateKey(keySize: 2048)
        let x = try X25519.PrivateKey(), y = try X25519.PrivateKey()
        let expectedShared = try x.sharedSecretFromKeyAgreement(with: y.publicKey)
        let expectedMAC = try HMAC.authenticationCode(for: utf8("m"), using: aeadKey, algorithm: .sha256)
        let expectedHash = try SHA2.hash(utf8("m"), using: .sha512)
        let failures = try await concurrentFailures(tasks: 64, rounds: 8) { task, round in
            var failures = 0
            let message = utf8("task \(task) round \(round)")
            for algorithm in AEADAlgorithm.allCases {
                let cipher: any AEAD.Type = switch algorithm {
                case .aes256GCM: AES256GCM.self
                case .chacha20Poly1305: ChaCha20Poly1305.self
                case .xchacha20Poly1305: XChaCha20Poly1305.self
                }
                let box = try cipher.seal(message, using: aeadKey, authenticating: message)
                if try cipher.open(box, using: aeadKey, authenticating: message) != message { failures += 1 }
                // A failing open in one task must not disturb the others.
                if (try? cipher.open(box, using: aeadKey)) != nil { failures += 1 }
            }
            if try HMAC.authenticationCode(for: utf8("m"), using: aeadKey, algorithm: .sha256) != expectedMAC { failures += 1 }
            if try SHA2.hash(utf8("m"), using: .sha512) != expectedHash { failures += 1 }
            if try HKDF.deriveKey(inputKeyMaterial: aeadKey, info: message, outputByteCount: 32, algorithm: .sha256).byteCount != 32 { failures += 1 }
            if !ed.publicKey.isValidSignature(try ed.signature(for: message), for: message) { failures += 1 }
            if !p256.publicKey.isValidSignature(try p256.signature(for: message), for: message) { failures += 1 }
            if !p384.publicKey.isValidSignature(try p384.signature(for: message), for: message) { failures += 1 }
            if round == 0 {
                let signature = try rsa.signature(for: message, padding: .pss, algorithm: .sha256)
                if !rsa.publicKey.isValidSignature(signature, for: message, padding: .pss, algorithm: .sha256) { failures += 1 }
            }
            if try x.sharedSecretFromKeyAgreement(with: y.publicKey) != expectedShared { failures += 1 }
            if try BLAKE2b.hash(message) != BLAKE2b.hash(message) { failures += 1 }
            return failures
        }
        #expect(failures == 0)
    }

    /// `HMACKey` recycles keyed contexts through per-CPU stripes: whichever stripe a computation
    /// takes its context from, and however many run at once, the tag must be the one-shot HMAC's.
    @Test("One HMACKey from 32 concurrent tasks: the one-shot HMAC's tags, forged tags refused")
    func sharedHMACKey() async throws {
        let secret = SymmetricKey(data: utf8("Jefe"))
        let shared = try HMACKey(secret, algorithm: .sha256)
        // RFC 4231 §4.3 (test case 2) through the pooled key.
        #expect(try shared.authenticationCode(for: utf8("what do ya want for nothing?")).bytes
                == hex("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"))
        let failures = try await concurrentFailures(tasks: 32, rounds: 64) { task, round in
            var failures = 0
            let message = utf8("task \(task) round \(round)")
            let expected = try HMAC.authenticationCode(for: message, using: secret, algorithm: .sha256).bytes
            let tag = try shared.authenticationCode(for: message).bytes
            if tag != expected { failures += 1 }
            var forged = tag
            forged[round % forged.count] ^= 0x01
            let accepted = try message.withUnsafeBytes { message in
                try (tag.withUnsafeBytes { try shared.isValidAuthenticationCode($0, authenticating: message) },
                     forged.withUnsafeBytes { try shared.isValidAuthenticationCode($0, authenticating: message) })
            }
            if !accepted.0 || accepted.1 { failures += 1 }
            return failures
        }
        #expect(failures == 0)
    }

    /// A replica (one CPU's copy of a key in a key ring) shares no object with its original but
    /// must compute the same tags, also from many tasks at once through its single pool.
    @Test("An HMACKey replica computes the original's tags, also concurrently")
    func hmacKeyReplica() async throws {
        let secret = SymmetricKey(data: utf8("Jefe"))
        let replica = try HMACKey(secret, algorithm: .sha256).replica()
        #expect(replica.algorithm == .sha256)
        #expect(try replica.authenticationCode(for: utf8("what do ya want for nothing?")).bytes
                == hex("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"))
        let failures = try await concurrentFailures(tasks: 16, rounds: 32) { task, round in
            let message = utf8("task \(task) round \(round)")
            let expected = try HMAC.authenticationCode(for: message, using: secret, algorithm: .sha256).bytes
            return try replica.authenticationCode(for: message).bytes == expected ? 0 : 1
        }
        #expect(failures == 0)
    }
}

/// Runs `rounds` rounds in each of `tasks` concurrent tasks and adds up the failures they report.
private func concurrentFailures(tasks: Int, rounds: Int,
                                _ round: @escaping @Sendable (_ task: Int, _ round: Int) throws -> Int) async throws -> Int {
    try await withThrowingTaskGroup(of: Int.self) { group in
        for task in 0..<tasks {
            group.addTask {
                var failures = 0
                for index in 0..<rounds { failures += try round(task, index) }
                return failures
            }
        }
        return try await group.reduce(0, +)
    }
}
