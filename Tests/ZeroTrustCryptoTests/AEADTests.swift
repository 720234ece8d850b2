import Testing
@testable import ZeroTrustCrypto

@Suite("AEAD behaviour")
struct AEADTests {
    static let algorithms = AEADAlgorithm.allCases

    static func namespace(_ algorithm: AEADAlgorithm) -> any AEAD.Type {
        switch algorithm {
        case .aes256GCM: AES256GCM.self
        case .chacha20Poly1305: ChaCha20Poly1305.self
        case .xchacha20Poly1305: XChaCha20Poly1305.self
        }
    }

    @Test("Round trips at many sizes, combined form", arguments: algorithms)
    func roundTrip(algorithm: AEADAlgorithm) throws {
        let cipher = Self.namespace(algorithm)
        let key = SymmetricKey(size: .bits256)
        for size in [0, 1, 15, 16, 17, 63, 64, 65, 1024, 65_537] {
            let message = SecureRandom.bytes(count: size)
            let box = try cipher.seal(message, using: key, authenticating: utf8("context"))
            #expect(box.nonce.count == algorithm.nonceByteCount && box.tag.count == 16 && box.ciphertext.count == size)
            if size >= 16 { #expect(box.ciphertext != message) }
            let reparsed = try AEADSealedBox(combined: box.combined, algorithm: algorithm)
            #expect(try cipher.open(reparsed, using: key, authenticating: utf8("context")) == message)
        }
        // Random nonces differ between seals of the same message.
        let a = try cipher.seal(utf8("same"), using: key), b = try cipher.seal(utf8("same"), using: key)
        #expect(a.nonce != b.nonce && a.ciphertext != b.ciphertext)
    }

    @Test("Wrong key, wrong AAD, altered or truncated data are rejected", arguments: algorithms)
    func rejection(algorithm: AEADAlgorithm) throws {
        let cipher = Self.namespace(algorithm)
        let key = SymmetricKey(size: .bits256)
        let box = try cipher.seal(utf8("training data"), using: key, authenticating: utf8("ds-1"))
        #expect(throwsCryptoError(.authenticationFailure) { _ = try cipher.open(box, using: SymmetricKey(size: .bits256), authenticating: utf8("ds-1")) })
        #expect(throwsCryptoError(.authenticationFailure) { _ = try cipher.open(box, using: key, authenticating: utf8("ds-2")) })
        #expect(throwsCryptoError(.authenticationFailure) { _ = try cipher.open(box, using: key) })
        var combined = box.combined
        for index in [0, algorithm.nonceByteCount, combined.count - 1] {
            combined[index] ^= 0x01
            let tampered = try AEADSealedBox(combined: combined, algorithm: algorithm)
            #expect(throwsCryptoError(.authenticationFailure) { _ = try cipher.open(tampered, using: key, authenticating: utf8("ds-1")) })
            combined[index] ^= 0x01
        }
        // Truncated tag: the box refuses to be built, so a short tag can never be checked.
        #expect(throwsCryptoError(.invalidTagSize) {
            _ = try AEADSealedBox(algorithm: algorithm, nonce: box.nonce, ciphertext: box.ciphertext, tag: Array(box.tag.prefix(12)))
        })
        // Truncated combined data authenticates nothing.
        let short = try AEADSealedBox(combined: Array(box.combined.dropLast()), algorithm: algorithm)
        #expect(throwsCryptoError(.authenticationFailure) { _ = try cipher.open(short, using: key, authenticating: utf8("ds-1")) })
        #expect(throwsCryptoError(.invalidParameter) { _ = try AEADSealedBox(combined: [1, 2, 3], algorithm: algorithm) })
    }

    @Test("Key and nonce sizes are checked", arguments: algorithms)
    func sizes(algorithm: AEADAlgorithm) {
        let cipher = Self.namespace(algorithm)
        #expect(throwsCryptoError(.invalidKeySize) { _ = try cipher.seal(utf8("x"), using: SymmetricKey(size: .bits128)) })
        #expect(throwsCryptoError(.invalidNonceSize) {
            _ = try cipher.seal(utf8("x"), using: SymmetricKey(size: .bits256), nonce: [UInt8](repeating: 0, count: 8))
        })
    }

    @Test("A box opened with another algorithm is refused")
    func algorithmMismatch() throws {
        let key = SymmetricKey(size: .bits256)
        let box = try AES256GCM.seal(utf8("x"), using: key)
        #expect(throwsCryptoError(.invalidParameter) { _ = try ChaCha20Poly1305.open(box, using: key) })
    }

    @Test("AEADContext seals and opens in place and out of place, and wipes on failure", arguments: algorithms)
    func context(algorithm: AEADAlgorithm) throws {
        let key = SymmetricKey(size: .bits256)
        let context = try AEADContext(algorithm: algorithm, key: key)
        let message = SecureRandom.bytes(count: 4096)
        var buffer = message
        var nonce = [UInt8](repeating: 0, count: algorithm.nonceByteCount)
        var tag = [UInt8](repeating: 0, count: 16)
        let aad = utf8("header")
        try buffer.withUnsafeMutableBytes { b in try nonce.withUnsafeMutableBytes { n in try tag.withUnsafeMutableBytes { t in
            try aad.withUnsafeBytes { a in
                try context.sealWithRandomNonce(UnsafeRawBufferPointer(b), authenticating: a, into: b, nonce: n, tag: t)
            } } } }
        #expect(buffer != message)
        #expect(context.randomNonceCount == 1)
        // The one-shot API opens what the context sealed.
        let box = try AEADSealedBox(algorithm: algorithm, nonce: nonce, ciphertext: buffer, tag: tag)
        #expect(try Self.namespace(algorithm).open(box, using: key, authenticating: aad) == message)
        // Out-of-place open.
        var output = [UInt8](repeating: 0, count: buffer.count)
        try buffer.withUnsafeBytes { b in try output.withUnsafeMutableBytes { o in try nonce.withUnsafeBytes { n in
            try tag.withUnsafeBytes { t in try aad.withUnsafeBytes { a in
                try context.open(b, tag: t, nonce: n, authenticating: a, into: o) } } } } }
        #expect(output == message)
        // A failed open leaves zeros, not unauthenticated plaintext.
        tag[0] ^= 1
        var failed = buffer
        let threw = failed.withUnsafeMutableBytes { b in nonce.withUnsafeBytes { n in tag.withUnsafeBytes { t in aad.withUnsafeBytes { a in
            throwsCryptoError(.authenticationFailure) { try context.open(UnsafeRawBufferPointer(b), tag: t, nonce: n, authenticating: a, into: b) }
        } } } }
        #expect(threw)
        #expect(failed.allSatisfy { $0 == 0 })
        // Partially overlapping buffers are refused.
        var big = [UInt8](repeating: 0, count: 64)
        let overlap = big.withUnsafeMutableBytes { b in nonce.withUnsafeBytes { n in tag.withUnsafeMutableBytes { t in
            throwsCryptoError(.invalidBuffer) {
                try context.seal(UnsafeRawBufferPointer(rebasing: b[0..<32]), nonce: n, authenticating: UnsafeRawBufferPointer(start: nil, count: 0),
                                 into: UnsafeMutableRawBufferPointer(rebasing: b[8..<40]), tag: t)
            } } } }
        #expect(overlap)
    }

    @Test("NIST SP 800-38D limits are stated for each algorithm")
    func limits() {
        #expect(AEADAlgorithm.aes256GCM.maximumPlaintextByteCount == (1 << 36) - 32)
        #expect(AEADAlgorithm.aes256GCM.randomNonceLimit == 1 << 32)
        #expect(AEADAlgorithm.chacha20Poly1305.randomNonceLimit == 1 << 32)
        #expect(AEADAlgorithm.xchacha20Poly1305.randomNonceLimit == .max)
    }
}
