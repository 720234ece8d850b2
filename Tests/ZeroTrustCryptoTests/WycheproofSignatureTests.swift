import Testing
@testable import ZeroTrustCrypto

@Suite("Wycheproof signatures and key agreement")
struct WycheproofSignatureTests {
    @Test("ECDSA P-256 SHA-256, DER signatures")
    func ecdsaDER() throws {
        let file = "ecdsa_secp256r1_sha256_test.json"
        guard let groups = try Wycheproof.groups(file) else { return }
        var tally = VectorTally(file)
        for group in groups {
            let key = try P256.PublicKey(derRepresentation: group.hexField("publicKeyDer"))
            for test in Wycheproof.tests(of: group) {
                let verified = (try? P256.Signature(derRepresentation: test.hexField("sig")))
                    .map { key.isValidSignature($0, for: test.hexField("msg")) } ?? false
                let ok = outcome(test, verified)
                #expect(ok, "\(file) tcId \(test.int("tcId")) (\(test.string("comment")))")
                tally.record(ok)
            }
        }
        print(tally)
        #expect(tally.ran > 0)
    }

    @Test("ECDSA P-256 SHA-256, P1363 (r ‖ s) signatures")
    func ecdsaP1363() throws {
        let file = "ecdsa_secp256r1_sha256_p1363_test.json"
        guard let groups = try Wycheproof.groups(file) else { return }
        var tally = VectorTally(file)
        for group in groups {
            let key = try P256.PublicKey(derRepresentation: group.hexField("publicKeyDer"))
            for test in Wycheproof.tests(of: group) {
                let verified = (try? P256.Signature(rawRepresentation: test.hexField("sig")))
                    .map { key.isValidSignature($0, for: test.hexField("msg")) } ?? false
                let ok = outcome(test, verified)
                #expect(ok, "\(file) tcId \(test.int("tcId")) (\(test.string("comment")))")
                tally.record(ok)
            }
        }
        print(tally)
        #expect(tally.ran > 0)
    }

    @Test("Ed25519")
    func ed25519() throws {
        let file = "ed25519_test.json"
        guard let groups = try Wycheproof.groups(file) else { return }
        var tally = VectorTally(file)
        for group in groups {
            let publicKey = try #require(group["publicKey"] as? [String: Any])
            let key = try Ed25519.PublicKey(rawRepresentation: publicKey.hexField("pk"))
            let derKey = try Ed25519.PublicKey(derRepresentation: group.hexField("publicKeyDer"))
            #expect(derKey == key)
            for test in Wycheproof.tests(of: group) {
                let verified = key.isValidSignature(test.hexField("sig"), for: test.hexField("msg"))
                let ok = outcome(test, verified)
                #expect(ok, "\(file) tcId \(test.int("tcId")) (\(test.string("comment")))")
                tally.record(ok)
            }
        }
        print(tally)
        #expect(tally.ran > 0)
    }

    /// Skip rule: ZeroTrustKit's PSS uses MGF1 with the message hash and a salt as long as the hash
    /// (RFC 7518 §3.5), with SHA-256/384/512. Groups with other parameters are skipped.
    @Test("RSASSA-PSS", arguments: ["rsa_pss_2048_sha256_mgf1_32_test.json", "rsa_pss_3072_sha256_mgf1_32_test.json",
                                    "rsa_pss_4096_sha256_mgf1_32_test.json", "rsa_pss_misc_test.json"])
    func rsaPSS(file: String) throws {
        guard let groups = try Wycheproof.groups(file) else { return }
        var tally = VectorTally(file)
        for group in groups {
            let algorithms: [String: HashAlgorithm] = ["SHA-256": .sha256, "SHA-384": .sha384, "SHA-512": .sha512]
            guard let algorithm = algorithms[group.string("sha")], group.string("mgfSha") == group.string("sha"),
                  group.int("sLen") == algorithm.digestByteCount
            else {
                for _ in Wycheproof.tests(of: group) { tally.skip("PSS parameters other than MGF1(same hash), salt = hash length") }
                continue
            }
            let key = try RSA.PublicKey(derRepresentation: group.hexField("publicKeyDer"))
            for test in Wycheproof.tests(of: group) {
                let verified = key.isValidSignature(test.hexField("sig"), for: test.hexField("msg"), padding: .pss, algorithm: algorithm)
                let ok = outcome(test, verified)
                #expect(ok, "\(file) tcId \(test.int("tcId")) (\(test.string("comment")))")
                tally.record(ok)
            }
        }
        print(tally)
        #expect(tally.ran > 0)
    }

    @Test("RSASSA-PKCS1-v1_5 SHA-256")
    func rsaPKCS1() throws {
        let file = "rsa_signature_2048_sha256_test.json"
        guard let groups = try Wycheproof.groups(file) else { return }
        var tally = VectorTally(file)
        for group in groups {
            let key = try RSA.PublicKey(derRepresentation: group.hexField("publicKeyDer"))
            for test in Wycheproof.tests(of: group) {
                let verified = key.isValidSignature(test.hexField("sig"), for: test.hexField("msg"), padding: .pkcs1v15, algorithm: .sha256)
                let ok = outcome(test, verified)
                #expect(ok, "\(file) tcId \(test.int("tcId")) (\(test.string("comment")))")
                tally.record(ok)
            }
        }
        print(tally)
        #expect(tally.ran > 0)
    }

    /// `acceptable` cases may succeed or fail; when they succeed the secret must still be right.
    /// The all-zero results (low-order public keys) are refused, as RFC 7748 §6.1 allows.
    @Test("X25519")
    func x25519() throws {
        let file = "x25519_test.json"
        guard let groups = try Wycheproof.groups(file) else { return }
        var tally = VectorTally(file)
        for group in groups {
            for test in Wycheproof.tests(of: group) {
                let result = test.string("result")
                let privateKey = try X25519.PrivateKey(rawRepresentation: test.hexField("private"))
                let publicKey = try X25519.PublicKey(rawRepresentation: test.hexField("public"))
                let shared = try? privateKey.sharedSecretFromKeyAgreement(with: publicKey)
                let expected = SymmetricKey(data: test.hexField("shared"))
                let ok: Bool
                switch result {
                case "valid": ok = shared == expected
                case "acceptable": ok = shared == nil || shared == expected
                default: ok = shared == nil
                }
                if test.hexField("shared").allSatisfy({ $0 == 0 }) { #expect(shared == nil, "all-zero secret must be refused") }
                #expect(ok, "\(file) tcId \(test.int("tcId")) (\(test.string("comment")))")
                tally.record(ok)
            }
        }
        print(tally)
        #expect(tally.ran > 0)
    }

    /// valid must verify, invalid must not, acceptable may go either way.
    private func outcome(_ test: [String: Any], _ verified: Bool) -> Bool {
        switch test.string("result") {
        case "valid": verified
        case "invalid": !verified
        default: true
        }
    }
}
