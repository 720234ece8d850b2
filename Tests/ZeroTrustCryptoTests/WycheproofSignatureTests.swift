import Testing
@testable import ZeroTrustCrypto

@Suite("Wycheproof signatures and key agreement")
struct WycheproofSignatureTests {
    @Test("ECDSA P-256 SHA-256, DER signatures")
    func ecdsaDER() throws {
        try runVerificationVectors("ecdsa_secp256r1_sha256_test.json") { group in
            let key = try P256.PublicKey(derRepresentation: group.hexField("publicKeyDer"))
            return { signature, message in
                (try? P256.Signature(derRepresentation: signature)).map { key.isValidSignature($0, for: message) } ?? false
            }
        }
    }

    @Test("ECDSA P-256 SHA-256, P1363 (r ‖ s) signatures")
    func ecdsaP1363() throws {
        try runVerificationVectors("ecdsa_secp256r1_sha256_p1363_test.json") { group in
            let key = try P256.PublicKey(derRepresentation: group.hexField("publicKeyDer"))
            return { signature, message in
                (try? P256.Signature(rawRepresentation: signature)).map { key.isValidSignature($0, for: message) } ?? false
            }
        }
    }

    @Test("Ed25519")
    func ed25519() throws {
        try runVerificationVectors("ed25519_test.json") { group in
            let publicKey = try #require(group["publicKey"] as? [String: Any])
            let key = try Ed25519.PublicKey(rawRepresentation: publicKey.hexField("pk"))
            #expect(try Ed25519.PublicKey(derRepresentation: group.hexField("publicKeyDer")) == key)
            return { signature, message in key.isValidSignature(signature, for: message) }
        }
    }

    /// Skip rule: ZeroTrustKit's PSS uses MGF1 with the message hash and a salt as long as the hash
    /// (RFC 7518 §3.5), with SHA-256/384/512. Groups with other parameters are skipped.
    @Test("RSASSA-PSS", arguments: ["rsa_pss_2048_sha256_mgf1_32_test.json", "rsa_pss_3072_sha256_mgf1_32_test.json",
                                    "rsa_pss_4096_sha256_mgf1_32_test.json", "rsa_pss_misc_test.json"])
    func rsaPSS(file: String) throws {
        let algorithms: [String: HashAlgorithm] = ["SHA-256": .sha256, "SHA-384": .sha384, "SHA-512": .sha512]
        try runVerificationVectors(file, skipReason: "PSS parameters other than MGF1(same hash), salt = hash length") { group in
            guard let algorithm = algorithms[group.string("sha")], group.string("mgfSha") == group.string("sha"),
                  group.int("sLen") == algorithm.digestByteCount
            else { return nil }
            let key = try RSA.PublicKey(derRepresentation: group.hexField("publicKeyDer"))
            return { signature, message in key.isValidSignature(signature, for: message, padding: .pss, algorithm: algorithm) }
        }
    }

    @Test("RSASSA-PKCS1-v1_5 SHA-256")
    func rsaPKCS1() throws {
        try runVerificationVectors("rsa_signature_2048_sha256_test.json") { group in
            let key = try RSA.PublicKey(derRepresentation: group.hexField("publicKeyDer"))
            return { signature, message in key.isValidSignature(signature, for: message, padding: .pkcs1v15, algorithm: .sha256) }
        }
    }

    /// Runs every case of a signature-verification file: `makeVerifier` turns a group into a
    /// verification function, or nil to skip the group for `skipReason`.
    /// valid must verify, invalid must not, acceptable may go either way.
    private func runVerificationVectors(_ file: String, skipReason: String = "",
                                        makeVerifier: ([String: Any]) throws -> (([UInt8], [UInt8]) -> Bool)?) throws {
        guard let groups = try Wycheproof.groups(file) else { return }
        var tally = VectorTally(file)
        for group in groups {
            guard let verify = try makeVerifier(group) else {
                for _ in Wycheproof.tests(of: group) { tally.skip(skipReason) }
                continue
            }
            for test in Wycheproof.tests(of: group) {
                let verified = verify(test.hexField("sig"), test.hexField("msg"))
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

    private func outcome(_ test: [String: Any], _ verified: Bool) -> Bool {
        switch test.string("result") {
        case "valid": verified
        case "invalid": !verified
        default: true
        }
    }
}
