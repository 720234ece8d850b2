import Testing
@testable import ZeroTrustCrypto

@Suite("Wycheproof HMAC and HKDF")
struct WycheproofMACAndKDFTests {
    /// Truncated-tag groups (tagSize 128) are checked against the leading bytes of the full MAC;
    /// ``HMAC/isValidAuthenticationCode(_:authenticating:using:algorithm:)`` itself accepts only
    /// full-length tags, which the full-tag groups exercise.
    @Test("HMAC-SHA256")
    func hmacSHA256() throws {
        let file = "hmac_sha256_test.json"
        guard let groups = try Wycheproof.groups(file) else { return }
        var tally = VectorTally(file)
        for group in groups {
            let tagBytes = group.int("tagSize") / 8
            for test in Wycheproof.tests(of: group) {
                let valid = test.string("result") == "valid"
                let key = SymmetricKey(data: test.hexField("key"))
                let message = test.hexField("msg"), tag = test.hexField("tag")
                let full = try HMAC.authenticationCode(for: message, using: key, algorithm: .sha256)
                var matches = constantTimeEquals(Array(full.bytes.prefix(tagBytes)), tag)
                if tagBytes == 32 {
                    let verified = try HMAC.isValidAuthenticationCode(tag, authenticating: message, using: key, algorithm: .sha256)
                    let context = try HMACContext(key: key, algorithm: .sha256)
                    let contextVerified = try message.withUnsafeBytes { m in try tag.withUnsafeBytes { t in
                        try context.isValidAuthenticationCode(t, authenticating: m) } }
                    matches = matches && verified == matches && contextVerified == matches
                }
                let ok = matches == valid
                #expect(ok, "\(file) tcId \(test.int("tcId")) (\(test.string("comment")))")
                tally.record(ok)
            }
        }
        print(tally)
        #expect(tally.ran > 0)
    }

    @Test("HKDF", arguments: [("hkdf_sha256_test.json", HashAlgorithm.sha256),
                              ("hkdf_sha384_test.json", .sha384),
                              ("hkdf_sha512_test.json", .sha512)])
    func hkdf(file: String, algorithm: HashAlgorithm) throws {
        guard let groups = try Wycheproof.groups(file) else { return }
        var tally = VectorTally(file)
        for group in groups {
            for test in Wycheproof.tests(of: group) {
                let valid = test.string("result") == "valid"
                let derived = try? HKDF.deriveKey(inputKeyMaterial: SymmetricKey(data: test.hexField("ikm")),
                                                  salt: test.hexField("salt"), info: test.hexField("info"),
                                                  outputByteCount: test.int("size"), algorithm: algorithm)
                let ok = valid ? derived == SymmetricKey(data: test.hexField("okm")) : derived == nil
                #expect(ok, "\(file) tcId \(test.int("tcId")) (\(test.string("comment")))")
                tally.record(ok)
            }
        }
        print(tally)
        #expect(tally.ran > 0)
    }
}
