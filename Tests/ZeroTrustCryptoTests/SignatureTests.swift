import Testing
@testable import ZeroTrustCrypto

@Suite("Signatures")
struct SignatureTests {
    let message = utf8("model registry entry 42")

    @Test("Ed25519 sign, verify, raw and PEM/DER round trips")
    func ed25519() throws {
        let key = try Ed25519.PrivateKey()
        let signature = try key.signature(for: message)
        #expect(signature.count == 64)
        #expect(key.publicKey.isValidSignature(signature, for: message))
        #expect(!key.publicKey.isValidSignature(signature, for: utf8("other")))
        #expect(!key.publicKey.isValidSignature(Array(signature.prefix(63)), for: message))
        #expect(!(try Ed25519.PrivateKey()).publicKey.isValidSignature(signature, for: message))

        let restored = try Ed25519.PrivateKey(pemRepresentation: key.pemRepresentation)
        #expect(restored.publicKey == key.publicKey)
        #expect(try restored.signature(for: message) == signature)
        #expect(try Ed25519.PrivateKey(derRepresentation: key.derRepresentation).publicKey == key.publicKey)
        #expect(try Ed25519.PrivateKey(rawRepresentation: key.rawRepresentation).publicKey == key.publicKey)
        #expect(try Ed25519.PublicKey(pemRepresentation: key.publicKey.pemRepresentation) == key.publicKey)
        #expect(try Ed25519.PublicKey(derRepresentation: key.publicKey.derRepresentation) == key.publicKey)
        #expect(try key.pemRepresentation.hasPrefix("-----BEGIN PRIVATE KEY-----\n"))
        #expect(throwsCryptoError(.invalidKeySize) { _ = try Ed25519.PrivateKey(rawRepresentation: [UInt8](repeating: 1, count: 31)) })
        #expect(throwsCryptoError(.invalidKeySize) { _ = try Ed25519.PublicKey(rawRepresentation: [UInt8](repeating: 1, count: 33)) })
    }

    @Test("ECDSA P-256 and P-384: sign, verify, signature forms, key forms")
    func ecdsa() throws {
        try exercise(P256.self)
        try exercise(P384.self)
    }

    private func exercise<Curve: ECDSACurve>(_: Curve.Type) throws {
        let n = Curve.curve.coordinateByteCount
        let key = try ECDSAPrivateKey<Curve>()
        let signature = try key.signature(for: message)
        #expect(signature.rawRepresentation.count == 2 * n)
        #expect(key.publicKey.isValidSignature(signature, for: message))
        #expect(!key.publicKey.isValidSignature(signature, for: utf8("other")))
        #expect(try ECDSASignature<Curve>(derRepresentation: signature.derRepresentation) == signature)
        var altered = signature.rawRepresentation
        altered[n - 1] ^= 1
        #expect(!key.publicKey.isValidSignature(try ECDSASignature<Curve>(rawRepresentation: altered), for: message))
        #expect(throwsCryptoError(.invalidSignatureEncoding) { _ = try ECDSASignature<Curve>(rawRepresentation: Array(signature.rawRepresentation.dropLast())) })
        // DER with trailing garbage, or BER-style long-form length, is refused.
        let der = try signature.derRepresentation
        #expect(throwsCryptoError(.invalidSignatureEncoding) { _ = try ECDSASignature<Curve>(derRepresentation: der + [0]) })
        #expect(throwsCryptoError(.invalidSignatureEncoding) { _ = try ECDSASignature<Curve>(derRepresentation: [0x30, 0x81, UInt8(der.count - 2)] + der.dropFirst(2)) })

        #expect(try ECDSAPrivateKey<Curve>(pemRepresentation: key.pemRepresentation).publicKey == key.publicKey)
        #expect(try ECDSAPrivateKey<Curve>(derRepresentation: key.derRepresentation).publicKey == key.publicKey)
        #expect(try ECDSAPrivateKey<Curve>(rawRepresentation: key.rawRepresentation).publicKey == key.publicKey)
        #expect(try key.rawRepresentation.count == n)
        let publicKey = key.publicKey
        #expect(try ECDSAPublicKey<Curve>(x963Representation: publicKey.x963Representation) == publicKey)
        #expect(try ECDSAPublicKey<Curve>(rawRepresentation: publicKey.rawRepresentation) == publicKey)
        #expect(try ECDSAPublicKey<Curve>(pemRepresentation: publicKey.pemRepresentation) == publicKey)
        #expect(try ECDSAPublicKey<Curve>(derRepresentation: publicKey.derRepresentation) == publicKey)
        // A point off the curve, a zero scalar and a scalar equal to the order are refused.
        var offCurve = try publicKey.x963Representation
        offCurve[offCurve.count - 1] ^= 1
        #expect(throwsCryptoError(.invalidKey) { _ = try ECDSAPublicKey<Curve>(x963Representation: offCurve) })
        #expect(throwsCryptoError(.invalidKey) { _ = try ECDSAPrivateKey<Curve>(rawRepresentation: [UInt8](repeating: 0, count: n)) })
        #expect(throwsCryptoError(.invalidKey) { _ = try ECDSAPrivateKey<Curve>(rawRepresentation: [UInt8](repeating: 0xff, count: n)) })
        #expect(throwsCryptoError(.invalidKeySize) { _ = try ECDSAPrivateKey<Curve>(rawRepresentation: [UInt8](repeating: 1, count: n + 1)) })
    }

    @Test("A P-256 key is not a P-384 key, and an EC key is not an Ed25519 key")
    func keyTypeMismatch() throws {
        let p256 = try P256.PrivateKey()
        #expect(throwsCryptoError(.keyTypeMismatch) { _ = try P384.PrivateKey(pemRepresentation: p256.pemRepresentation) })
        #expect(throwsCryptoError(.keyTypeMismatch) { _ = try P384.PublicKey(derRepresentation: p256.publicKey.derRepresentation) })
        #expect(throwsCryptoError(.keyTypeMismatch) { _ = try Ed25519.PrivateKey(pemRepresentation: p256.pemRepresentation) })
        #expect(throwsCryptoError(.keyTypeMismatch) { _ = try RSA.PublicKey(derRepresentation: p256.publicKey.derRepresentation) })
        #expect(throwsCryptoError(.keyTypeMismatch) { _ = try X25519.PrivateKey(pemRepresentation: try Ed25519.PrivateKey().pemRepresentation) })
        // secp256k1 (made by the openssl CLI) is refused by both ECDSA curves.
        let k256 = """
        -----BEGIN PRIVATE KEY-----
        MIGEAgEAMBAGByqGSM49AgEGBSuBBAAKBG0wawIBAQQgGNL6UQrV9MrOjFvkrFrq
        gkfC3LWK5CqVBruXhILoN9ihRANCAAR6LBmeUYpz/HuTdTkL5RRSxE32IrwacjRH
        7pLGmqh4RXxJ+7nlp93oWL4+xwHFmUXuY7cxm4cpOCXHCWSYTcd+
        -----END PRIVATE KEY-----
        """
        #expect(throwsCryptoError(.keyTypeMismatch) { _ = try P256.PrivateKey(pemRepresentation: k256) })
    }

    @Test("RSA PSS and PKCS#1 v1.5 with SHA-256/384/512")
    func rsa() throws {
        let key = try RSA.PrivateKey(keySize: 2048)
        #expect(key.keySizeInBits == 2048)
        for padding in RSA.SignaturePadding.allCases {
            for algorithm in HashAlgorithm.allCases {
                let signature = try key.signature(for: message, padding: padding, algorithm: algorithm)
                #expect(signature.count == 256)
                #expect(key.publicKey.isValidSignature(signature, for: message, padding: padding, algorithm: algorithm))
                #expect(!key.publicKey.isValidSignature(signature, for: utf8("x"), padding: padding, algorithm: algorithm))
                let other: RSA.SignaturePadding = padding == .pss ? .pkcs1v15 : .pss
                #expect(!key.publicKey.isValidSignature(signature, for: message, padding: other, algorithm: algorithm))
                #expect(!key.publicKey.isValidSignature(signature + [0], for: message, padding: padding, algorithm: algorithm))
            }
        }
        // PKCS#1 v1.5 is deterministic; PSS is randomized.
        #expect(try key.signature(for: message, padding: .pkcs1v15, algorithm: .sha256) == key.signature(for: message, padding: .pkcs1v15, algorithm: .sha256))
        #expect(try key.signature(for: message, padding: .pss, algorithm: .sha256) != key.signature(for: message, padding: .pss, algorithm: .sha256))
        let restored = try RSA.PrivateKey(pemRepresentation: key.pemRepresentation)
        #expect(restored.publicKey == key.publicKey)
        #expect(try RSA.PrivateKey(derRepresentation: key.derRepresentation).publicKey == key.publicKey)
        #expect(try RSA.PublicKey(pemRepresentation: key.publicKey.pemRepresentation) == key.publicKey)
        #expect(try RSA.PublicKey(modulus: key.publicKey.modulus, publicExponent: key.publicKey.publicExponent) == key.publicKey)
        #expect(try key.publicKey.publicExponent == [0x01, 0x00, 0x01])
        #expect(throwsCryptoError(.invalidParameter) { _ = try RSA.PrivateKey(keySize: 1024) })
    }

    @Test("RSA keys under 2048 bits are refused on import")
    func weakRSA() throws {
        let weak = """
        -----BEGIN PRIVATE KEY-----
        MIICdgIBADANBgkqhkiG9w0BAQEFAASCAmAwggJcAgEAAoGBAL9PwrQUCft4+TmJ
        k+ZpzphenMbR08AOJqih8v8nv/T4lVb0qPipUI10pGh9WoI3sQlu8vyn+Eoww/fN
        yU0ugJJTQ9jk2TjYsUXw5jsn7od3j/+9A3KMng4Ka5LX/icM9bLZSZKhTLp+2L5J
        JuFMDJ1bX6QEfSKaf32hlmgbuGhjAgMBAAECgYADQrvBz/mflJ9C0Mp5ieIgjLRF
        WzwtsNAN3bzDhozqAvagpcjffBtIXe2TbleFkqdszrxLfB1qPkyIw7QjoaBFVpq+
        L4KnAW4BxIza/tLqe+jUKVjhuy1tp4WVSMM4xNKDQ39rzkpka498OpIbU/wNU7RG
        F8vJm5HQ0+mSJlaOAQJBAPT/sw7Lfpi40zXmtEbnn99tnSyK6PLIHu6f+4yEZcZB
        0oy9VgrfBVKpwJkxEFO5BbBZfP5b0OviF1G5hl+uH2MCQQDH5urgoh8SlsUcB6cJ
        1582M1QV2McCTsDTFs7oWgFwHuLRUX7jY7CZhtE2akQACB58Ie4rg8a2xLp8O8AQ
        rWMBAkEAzciklq24NQExbtnL3K6a62k/lnVK+vm6eYZpHHrsnV0WQ96YkeMHrook
        2seKRjhnndtckK2AS1EJczyYsG8prwJASVk6j6gM/LYjpxBLwznB6pJU5RtAkmEx
        MYMp8mmsI2bB1QoxI+BdWUf1liDRyK0x+lw81uyoSkHPJ2yJIdVtAQJATNwokYJz
        7cLkvweIUkh5evaqIp7At6oKKYWCe8EE3PU4ZQl+9RFOFzhEuiJWtWoyWS7XeId0
        5/VMxG06ug0cag==
        -----END PRIVATE KEY-----
        """
        #expect(throwsCryptoError(.weakKey) { _ = try RSA.PrivateKey(pemRepresentation: weak) })
        let modulus = [UInt8](repeating: 0xff, count: 128)
        #expect(throwsCryptoError(.weakKey) { _ = try RSA.PublicKey(modulus: modulus, publicExponent: [0x01, 0x00, 0x01]) })
        let key = try RSA.PrivateKey(keySize: 2048)
        #expect(throwsCryptoError(.weakKey) { _ = try RSA.PublicKey(modulus: key.publicKey.modulus, publicExponent: [0x01]) })
        #expect(throwsCryptoError(.weakKey) { _ = try RSA.PublicKey(modulus: key.publicKey.modulus, publicExponent: [0x01, 0x00, 0x00]) })
    }

    @Test("X25519 agreement is symmetric and refuses low-order keys")
    func x25519() throws {
        let alice = try X25519.PrivateKey(), bob = try X25519.PrivateKey()
        let ab = try alice.sharedSecretFromKeyAgreement(with: bob.publicKey)
        let ba = try bob.sharedSecretFromKeyAgreement(with: alice.publicKey)
        #expect(ab == ba && ab.byteCount == 32)
        #expect(try X25519.PrivateKey(pemRepresentation: alice.pemRepresentation).publicKey == alice.publicKey)
        #expect(try X25519.PublicKey(pemRepresentation: alice.publicKey.pemRepresentation) == alice.publicKey)
        let lowOrder = try X25519.PublicKey(rawRepresentation: [UInt8](repeating: 0, count: 32))
        #expect(throwsCryptoError(.keyAgreementFailure) { _ = try alice.sharedSecretFromKeyAgreement(with: lowOrder) })
    }
}
