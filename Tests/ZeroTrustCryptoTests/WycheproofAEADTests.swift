import Testing
@testable import ZeroTrustCrypto

/// Every AEAD case of Wycheproof: valid cases must seal to the expected ciphertext and tag and
/// open again, invalid ones must be rejected. Skip rules (never by tcId): AES keys other than
/// 256 bits are not offered; GCM nonces other than 96 bits are not offered (NIST SP 800-38D §8.2
/// recommends 96), so valid cases with other nonce sizes are skipped while invalid ones must still
/// be rejected.
@Suite("Wycheproof AEAD")
struct WycheproofAEADTests {
    @Test("AEAD vectors", arguments: [("aes_gcm_test.json", AEADAlgorithm.aes256GCM),
                                     ("chacha20_poly1305_test.json", .chacha20Poly1305),
                                     ("xchacha20_poly1305_test.json", .xchacha20Poly1305)])
    func aead(file: String, algorithm: AEADAlgorithm) throws {
        guard let groups = try Wycheproof.groups(file) else { return }
        var tally = VectorTally(file)
        for group in groups {
            let keyBits = group.int("keySize"), nonceBits = group.int("ivSize"), tagBits = group.int("tagSize")
            for test in Wycheproof.tests(of: group) {
                let valid = test.string("result") == "valid"
                if keyBits != 256 {
                    tally.skip("AES keys other than 256 bits")
                    continue
                }
                if nonceBits != algorithm.nonceByteCount * 8 && valid {
                    tally.skip("valid cases with nonces of other sizes")
                    continue
                }
                #expect(tagBits == 128, "tag size \(tagBits) in \(file)")
                let ok = try check(test, algorithm: algorithm, valid: valid)
                #expect(ok, "\(file) tcId \(test.int("tcId")) (\(test.string("comment"))) expected \(valid ? "valid" : "invalid")")
                tally.record(ok)
            }
        }
        print(tally)
        #expect(tally.ran > 0)
    }

    private func check(_ test: [String: Any], algorithm: AEADAlgorithm, valid: Bool) throws -> Bool {
        let key = SymmetricKey(data: test.hexField("key"))
        let nonce = test.hexField("iv"), aad = test.hexField("aad"), message = test.hexField("msg")
        let ciphertext = test.hexField("ct"), tag = test.hexField("tag")
        let namespace: any AEAD.Type = switch algorithm {
        case .aes256GCM: AES256GCM.self
        case .chacha20Poly1305: ChaCha20Poly1305.self
        case .xchacha20Poly1305: XChaCha20Poly1305.self
        }
        // Opening: one-shot and in place through a reusable context must agree.
        let oneShot: [UInt8]? = {
            guard let box = try? AEADSealedBox(algorithm: algorithm, nonce: nonce, ciphertext: ciphertext, tag: tag) else { return nil }
            return try? namespace.open(box, using: key, authenticating: aad)
        }()
        let inPlace: [UInt8]? = {
            guard let context = try? AEADContext(algorithm: algorithm, key: key) else { return nil }
            var buffer = ciphertext
            let opened: Bool = buffer.withUnsafeMutableBytes { b in
                nonce.withUnsafeBytes { n in tag.withUnsafeBytes { t in aad.withUnsafeBytes { a in
                    (try? context.open(UnsafeRawBufferPointer(b), tag: t, nonce: n, authenticating: a, into: b)) != nil
                } } }
            }
            if !opened {
                // Once decryption ran (sizes were valid), a failed open must leave no plaintext behind.
                if nonce.count == algorithm.nonceByteCount && tag.count == algorithm.tagByteCount {
                    #expect(buffer.allSatisfy { $0 == 0 }, "plaintext left in the buffer after a failed open")
                }
                return nil
            }
            return buffer
        }()
        guard valid else { return oneShot == nil && inPlace == nil }
        guard oneShot == message, inPlace == message else { return false }
        let sealed = try namespace.seal(message, using: key, nonce: nonce, authenticating: aad)
        return sealed.ciphertext == ciphertext && sealed.tag == tag
    }
}
