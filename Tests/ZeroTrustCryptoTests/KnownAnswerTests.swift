import Testing
@testable import ZeroTrustCrypto

/// Known answers from the RFCs and FIPS 180-4.
@Suite("Known-answer tests")
struct KnownAnswerTests {
    @Test("FIPS 180-4 SHA-2 and RFC 7693 BLAKE2b of \"abc\", one-shot and incremental")
    func hashes() throws {
        let expected: [(HashAlgorithm, String)] = [
            (.sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            (.sha384, "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7"),
            (.sha512, "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"),
        ]
        for (algorithm, digest) in expected {
            #expect(try SHA2.hash(utf8("abc"), using: algorithm).hexString == digest)
            var hasher = try SHA2(algorithm)
            try hasher.update(utf8("a"))
            let fork = hasher  // copy-on-write: the fork must not see later updates
            try hasher.update(utf8("bc"))
            #expect(try hasher.finalize().hexString == digest)
            var forked = fork
            try forked.update(utf8("bc"))
            #expect(try forked.finalize().hexString == digest)
            #expect(try fork.finalize() == SHA2.hash(utf8("a"), using: algorithm))
        }
        let blake = "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d17d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923"
        #expect(try BLAKE2b.hash(utf8("abc"), outputByteCount: 64).hexString == blake)
        var incremental = try BLAKE2b(outputByteCount: 64)
        incremental.update(utf8("ab"))
        incremental.update(utf8("c"))
        #expect(incremental.finalize().hexString == blake)
    }

    @Test("BLAKE2b refuses out-of-range output and key sizes")
    func blake2bLimits() {
        #expect(throwsCryptoError(.invalidParameter) { _ = try BLAKE2b.hash(utf8("x"), outputByteCount: 15) })
        #expect(throwsCryptoError(.invalidParameter) { _ = try BLAKE2b.hash(utf8("x"), outputByteCount: 65) })
        #expect(throwsCryptoError(.invalidKeySize) { _ = try BLAKE2b.hash(utf8("x"), key: SymmetricKey(data: [UInt8](repeating: 1, count: 8))) })
        let keyed = try? BLAKE2b.hash(utf8("x"), key: SymmetricKey(data: [UInt8](repeating: 1, count: 32)))
        #expect(keyed != nil && keyed != (try? BLAKE2b.hash(utf8("x"))))
    }

    /// RFC 4231 §4.2–4.8, all seven cases (case 5 truncated to 128 bits as the RFC specifies).
    @Test("RFC 4231 HMAC-SHA-256/384/512")
    func rfc4231() throws {
        let cases: [(key: [UInt8], data: [UInt8], sha256: String, sha384: String, sha512: String)] = [
            ([UInt8](repeating: 0x0b, count: 20), utf8("Hi There"),
             "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
             "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59cfaea9ea9076ede7f4af152e8b2fa9cb6",
             "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854"),
            (utf8("Jefe"), utf8("what do ya want for nothing?"),
             "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
             "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649",
             "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737"),
            ([UInt8](repeating: 0xaa, count: 20), [UInt8](repeating: 0xdd, count: 50),
             "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe",
             "88062608d3e6ad8a0aa2ace014c8a86f0aa635d947ac9febe83ef4e55966144b2a5ab39dc13814b94e3ab6e101a34f27",
             "fa73b0089d56a284efb0f0756c890be9b1b5dbdd8ee81a3655f83e33b2279d39bf3e848279a722c806b485a47e67c807b946a337bee8942674278859e13292fb"),
            (Array(1...25), [UInt8](repeating: 0xcd, count: 50),
             "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b",
             "3e8a69b7783c25851933ab6290af6ca77a9981480850009cc5577c6e1f573b4e6801dd23c4a7d679ccf8a386c674cffb",
             "b0ba465637458c6990e5a8c5f61d4af7e576d97ff94b872de76f8050361ee3dba91ca5c11aa25eb4d679275cc5788063a5f19741120c4f2de2adebeb10a298dd"),
            ([UInt8](repeating: 0x0c, count: 20), utf8("Test With Truncation"),
             "a3b6167473100ee06e0c796c2955552b", "3abf34c3503b2a23a46efc619baef897", "415fad6271580a531d4179bc891d87a6"),
            ([UInt8](repeating: 0xaa, count: 131), utf8("Test Using Larger Than Block-Size Key - Hash Key First"),
             "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
             "4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c60c2ef6ab4030fe8296248df163f44952",
             "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f3526b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598"),
            ([UInt8](repeating: 0xaa, count: 131),
             utf8("This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm."),
             "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
             "6617178e941f020d351e2f254e8fd32c602420feb0b8fb9adccebb82461e99c5a678cc31e799176d3860e6110c46523e",
             "e37b6a775dc87dbaa4dfa9f96e5e3ffddebd71f8867289865df5a32d20cdc944b6022cac3c4982b10d5eeb55c3e4de15134676fb6de0446065c97440fa8c6a58"),
        ]
        for (index, testCase) in cases.enumerated() {
            let key = SymmetricKey(data: testCase.key)
            for (algorithm, expected) in [(HashAlgorithm.sha256, testCase.sha256), (.sha384, testCase.sha384), (.sha512, testCase.sha512)] {
                let tag = try HMAC.authenticationCode(for: testCase.data, using: key, algorithm: algorithm)
                #expect(tag.hexString.hasPrefix(expected), "RFC 4231 case \(index + 1) \(algorithm)")
                // Incremental and reusable-context forms agree with the one-shot form.
                var incremental = try HMAC(key: key, algorithm: algorithm)
                try incremental.update(Array(testCase.data.prefix(3)))
                try incremental.update(Array(testCase.data.dropFirst(3)))
                #expect(try incremental.finalize() == tag)
                let context = try HMACContext(key: key, algorithm: algorithm)
                #expect(try context.authenticationCode(for: testCase.data) == tag)
                #expect(try context.authenticationCode(for: testCase.data) == tag, "a reused context must restart cleanly")
            }
        }
    }

    @Test("HMAC refuses truncated and altered tags")
    func hmacNegative() throws {
        let key = SymmetricKey(size: .bits256)
        let tag = try HMAC.authenticationCode(for: utf8("message"), using: key, algorithm: .sha256)
        #expect(try HMAC.isValidAuthenticationCode(tag, authenticating: utf8("message"), using: key, algorithm: .sha256))
        #expect(try !HMAC.isValidAuthenticationCode(Array(tag.bytes.prefix(16)), authenticating: utf8("message"), using: key, algorithm: .sha256))
        var altered = tag.bytes
        altered[31] ^= 1
        #expect(try !HMAC.isValidAuthenticationCode(altered, authenticating: utf8("message"), using: key, algorithm: .sha256))
        #expect(try !HMAC.isValidAuthenticationCode(tag, authenticating: utf8("messagf"), using: key, algorithm: .sha256))
        #expect(try !HMAC.isValidAuthenticationCode(tag, authenticating: utf8("message"), using: SymmetricKey(size: .bits256), algorithm: .sha256))
    }

    /// RFC 5869 Appendix A.1 and A.3 (SHA-256), checking PRK and OKM.
    @Test("RFC 5869 HKDF")
    func rfc5869() throws {
        let ikm = SymmetricKey(data: [UInt8](repeating: 0x0b, count: 22))
        let salt = hex("000102030405060708090a0b0c"), info = hex("f0f1f2f3f4f5f6f7f8f9")
        let prk = try HKDF.extract(inputKeyMaterial: ikm, salt: salt, algorithm: .sha256)
        #expect(prk == SymmetricKey(data: hex("077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5")))
        let okm = hex("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865")
        #expect(try HKDF.expand(pseudoRandomKey: prk, info: info, outputByteCount: 42, algorithm: .sha256) == SymmetricKey(data: okm))
        #expect(try HKDF.deriveKey(inputKeyMaterial: ikm, salt: salt, info: info, outputByteCount: 42, algorithm: .sha256) == SymmetricKey(data: okm))
        // A.3: no salt, no info.
        let prk3 = try HKDF.extract(inputKeyMaterial: ikm, algorithm: .sha256)
        #expect(prk3 == SymmetricKey(data: hex("19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04")))
        #expect(try HKDF.deriveKey(inputKeyMaterial: ikm, outputByteCount: 42, algorithm: .sha256)
                == SymmetricKey(data: hex("8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8")))
        #expect(throwsCryptoError(.invalidParameter) { _ = try HKDF.deriveKey(inputKeyMaterial: ikm, outputByteCount: 255 * 32 + 1, algorithm: .sha256) })
        #expect(throwsCryptoError(.invalidParameter) { _ = try HKDF.deriveKey(inputKeyMaterial: ikm, outputByteCount: 0, algorithm: .sha256) })
        #expect(throwsCryptoError(.invalidKeySize) { _ = try HKDF.expand(pseudoRandomKey: SymmetricKey(data: [1, 2, 3]), outputByteCount: 16, algorithm: .sha256) })
    }

    /// RFC 8032 §7.1 TEST 1–3.
    @Test("RFC 8032 Ed25519")
    func rfc8032() throws {
        let vectors = [
            ("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
             "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
             "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"),
            ("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
             "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
             "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"),
            ("c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
             "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
             "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"),
        ]
        for (secret, publicKey, message, signature) in vectors {
            let key = try Ed25519.PrivateKey(rawRepresentation: hex(secret))
            #expect(key.publicKey.rawRepresentation == hex(publicKey))
            #expect(try key.signature(for: hex(message)) == hex(signature))
            #expect(key.publicKey.isValidSignature(hex(signature), for: hex(message)))
            var altered = hex(signature)
            altered[0] ^= 0x80
            #expect(!key.publicKey.isValidSignature(altered, for: hex(message)))
        }
    }

    /// RFC 8439 §2.8.2.
    @Test("RFC 8439 ChaCha20-Poly1305")
    func rfc8439() throws {
        let key = SymmetricKey(data: hex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"))
        let nonce = hex("070000004041424344454647"), aad = hex("50515253c0c1c2c3c4c5c6c7")
        let plaintext = utf8("Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.")
        let box = try ChaCha20Poly1305.seal(plaintext, using: key, nonce: nonce, authenticating: aad)
        #expect(box.ciphertext == hex("d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc3ff4def08e4b7a9de576d26586cec64b6116"))
        #expect(box.tag == hex("1ae10b594f09e26a7e902ecbd0600691"))
        #expect(try ChaCha20Poly1305.open(box, using: key, authenticating: aad) == plaintext)
    }
}

@Suite("Argon2id")
struct Argon2idTests {
    /// Reference values from the argon2-cffi reference implementation (Argon2id v1.3, p = 1).
    @Test("Known answers")
    func knownAnswers() throws {
        let first = try Argon2id.deriveKey(password: SecureBytes(copying: utf8("correct horse battery staple")), salt: Array(0..<16),
                                           outputByteCount: 32, parameters: .init(iterations: 3, memoryBytes: 65_536))
        #expect(first == SymmetricKey(data: hex("bc240e180a205bd2e782cdc64983f247e76aeb8fb2133aec1570b70cccd68bff")))
        let second = try Argon2id.deriveKey(password: SecureBytes(copying: utf8("password")),
                                            salt: utf8("somesalt") + [UInt8](repeating: 0, count: 8),
                                            outputByteCount: 32, parameters: .init(iterations: 2, memoryBytes: 64 << 20))
        #expect(second == SymmetricKey(data: hex("b327fc4f307da6f3081ad161bd10131d6d675f8de23fe14b69a4d79eaa7232b6")))
    }

    @Test("Bad salt, output or costs are refused")
    func limits() {
        let password = SecureBytes(copying: utf8("pw"))
        let cheap = Argon2id.Parameters(iterations: 1, memoryBytes: 8192)
        #expect(throwsCryptoError(.invalidParameter) { _ = try Argon2id.deriveKey(password: password, salt: [1, 2], outputByteCount: 32, parameters: cheap) })
        #expect(throwsCryptoError(.invalidParameter) { _ = try Argon2id.deriveKey(password: password, salt: Array(0..<16), outputByteCount: 8, parameters: cheap) })
        #expect(throwsCryptoError(.invalidParameter) {
            _ = try Argon2id.deriveKey(password: password, salt: Array(0..<16), outputByteCount: 32, parameters: .init(iterations: 0, memoryBytes: 8192))
        })
        #expect(throwsCryptoError(.invalidParameter) {
            _ = try Argon2id.deriveKey(password: password, salt: Array(0..<16), outputByteCount: 32, parameters: .init(iterations: 1, memoryBytes: 1024))
        })
    }
}
