internal import CZeroTrustOpenSSL
internal import CZeroTrustShims
internal import CZeroTrustSodium

/// The C side of every AEAD call: validates sizes, then dispatches to OpenSSL's EVP interface
/// (AES-256-GCM, ChaCha20-Poly1305) or libsodium (XChaCha20-Poly1305). One owner at a time.
final class AEADEngine {
    let algorithm: AEADAlgorithm
    private let key: SymmetricKey
    // Cipher contexts keyed once and re-used with a new nonce per message (no allocation);
    // created on first use so that a one-shot seal does not also pay for a decryption context.
    private var encryptContext: OpaquePointer?
    private var decryptContext: OpaquePointer?

    /// EVP lengths are `int`; larger inputs go through in chunks of this size.
    private static let chunk = 1 << 30

    init(algorithm: AEADAlgorithm, key: SymmetricKey) throws(CryptoError) {
        try AEADValidation.key(key, for: algorithm)
        if algorithm == .xchacha20Poly1305 { try Sodium.ensureInitialised() }
        self.algorithm = algorithm
        self.key = key
    }

    deinit {
        // EVP_CIPHER_CTX_free cleanses the key schedule.
        EVP_CIPHER_CTX_free(encryptContext)
        EVP_CIPHER_CTX_free(decryptContext)
    }

    func seal(_ input: UnsafeRawBufferPointer, nonce: UnsafeRawBufferPointer, associatedData: UnsafeRawBufferPointer,
              output: UnsafeMutableRawBufferPointer, tag: UnsafeMutableRawBufferPointer) throws(CryptoError) {
        try AEADValidation.nonce(count: nonce.count, for: algorithm)
        try AEADValidation.tag(count: tag.count, for: algorithm)
        try AEADValidation.message(count: input.count, for: algorithm)
        try AEADValidation.buffers(input: input, output: output)
        if algorithm == .xchacha20Poly1305 {
            try sodiumSeal(input, nonce: nonce, associatedData: associatedData, output: output, tag: tag)
        } else {
            try evpSeal(input, nonce: nonce, associatedData: associatedData, output: output, tag: tag)
        }
    }

    func open(_ input: UnsafeRawBufferPointer, tag: UnsafeRawBufferPointer, nonce: UnsafeRawBufferPointer,
              associatedData: UnsafeRawBufferPointer, output: UnsafeMutableRawBufferPointer) throws(CryptoError) {
        try AEADValidation.nonce(count: nonce.count, for: algorithm)
        try AEADValidation.tag(count: tag.count, for: algorithm)
        try AEADValidation.buffers(input: input, output: output)
        let authentic =
            if algorithm == .xchacha20Poly1305 {
                sodiumOpen(input, tag: tag, nonce: nonce, associatedData: associatedData, output: output)
            } else {
                try evpOpen(input, tag: tag, nonce: nonce, associatedData: associatedData, output: output)
            }
        guard authentic else {
            // EVP decrypts before it checks the tag: wipe what it wrote.
            if output.count > 0 { output.initializeMemory(as: UInt8.self, repeating: 0) }
            OpenSSLErrorQueue.clear()
            throw CryptoError(code: .authenticationFailure,
                              message: "\(algorithm.rawValue) ciphertext did not authenticate (wrong key, nonce, associated data, or tampered data)")
        }
    }

    // MARK: OpenSSL

    private func cipher() throws(CryptoError) -> OpaquePointer {
        let cipher: OpaquePointer? = algorithm == .aes256GCM ? zt_cipher_aes_256_gcm() : zt_cipher_chacha20_poly1305()
        guard let cipher else { throw CryptoError.openSSL(.libraryFailure, "OpenSSL has no \(algorithm.rawValue)") }
        return cipher
    }

    private func context(encrypt: Bool) throws(CryptoError) -> OpaquePointer {
        if let existing = encrypt ? encryptContext : decryptContext { return existing }
        guard let ctx = EVP_CIPHER_CTX_new() else { throw CryptoError.openSSLFailure("EVP_CIPHER_CTX_new") }
        let cipher = try cipher()
        let status = key.withUnsafeBytes { k in
            let keyPointer = k.baseAddress?.assumingMemoryBound(to: UInt8.self)
            return encrypt
                ? EVP_EncryptInit_ex(ctx, cipher, nil, keyPointer, nil)
                : EVP_DecryptInit_ex(ctx, cipher, nil, keyPointer, nil)
        }
        guard status == 1 else {
            EVP_CIPHER_CTX_free(ctx)
            throw CryptoError.openSSLFailure("EVP_CipherInit_ex")
        }
        if encrypt { encryptContext = ctx } else { decryptContext = ctx }
        return ctx
    }

    /// Runs `EVP_CipherUpdate` over `input` in `int`-sized chunks. With a nil `output` the input is
    /// associated data.
    private func update(_ ctx: OpaquePointer, encrypt: Bool, input: UnsafeRawBufferPointer,
                       output: UnsafeMutableRawBufferPointer?) throws(CryptoError) {
        guard input.count > 0, let inBase = input.baseAddress else { return }
        var offset = 0
        while offset < input.count {
            let length = min(Self.chunk, input.count - offset)
            let source = (inBase + offset).assumingMemoryBound(to: UInt8.self)
            let destination = output.flatMap { $0.baseAddress.map { ($0 + offset).assumingMemoryBound(to: UInt8.self) } }
            var written: Int32 = 0
            let status = encrypt
                ? EVP_EncryptUpdate(ctx, destination, &written, source, Int32(length))
                : EVP_DecryptUpdate(ctx, destination, &written, source, Int32(length))
            guard status == 1, output == nil || Int(written) == length else {
                throw CryptoError.openSSLFailure("EVP_CipherUpdate")
            }
            offset += length
        }
    }

    private func evpSeal(_ input: UnsafeRawBufferPointer, nonce: UnsafeRawBufferPointer, associatedData: UnsafeRawBufferPointer,
                         output: UnsafeMutableRawBufferPointer, tag: UnsafeMutableRawBufferPointer) throws(CryptoError) {
        OpenSSLErrorQueue.clear()
        let ctx = try context(encrypt: true)
        try requireOpenSSL(
            EVP_EncryptInit_ex(ctx, nil, nil, nil, nonce.baseAddress?.assumingMemoryBound(to: UInt8.self)),
            "EVP_EncryptInit_ex")
        try update(ctx, encrypt: true, input: associatedData, output: nil)
        try update(ctx, encrypt: true, input: input, output: output)
        var written: Int32 = 0
        var scratch: UInt8 = 0
        try requireOpenSSL(EVP_EncryptFinal_ex(ctx, &scratch, &written), "EVP_EncryptFinal_ex")
        try requireOpenSSL(EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, Int32(tag.count), tag.baseAddress),
                           "EVP_CTRL_AEAD_GET_TAG")
    }

    private func evpOpen(_ input: UnsafeRawBufferPointer, tag: UnsafeRawBufferPointer, nonce: UnsafeRawBufferPointer,
                         associatedData: UnsafeRawBufferPointer, output: UnsafeMutableRawBufferPointer) throws(CryptoError) -> Bool {
        OpenSSLErrorQueue.clear()
        let ctx = try context(encrypt: false)
        try requireOpenSSL(
            EVP_DecryptInit_ex(ctx, nil, nil, nil, nonce.baseAddress?.assumingMemoryBound(to: UInt8.self)),
            "EVP_DecryptInit_ex")
        // The control call takes a mutable pointer but only reads the tag.
        try requireOpenSSL(
            EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, Int32(tag.count), UnsafeMutableRawPointer(mutating: tag.baseAddress)),
            "EVP_CTRL_AEAD_SET_TAG")
        try update(ctx, encrypt: false, input: associatedData, output: nil)
        try update(ctx, encrypt: false, input: input, output: output)
        var written: Int32 = 0
        var scratch: UInt8 = 0
        return EVP_DecryptFinal_ex(ctx, &scratch, &written) == 1
    }

    // MARK: libsodium

    private func sodiumSeal(_ input: UnsafeRawBufferPointer, nonce: UnsafeRawBufferPointer, associatedData: UnsafeRawBufferPointer,
                            output: UnsafeMutableRawBufferPointer, tag: UnsafeMutableRawBufferPointer) throws(CryptoError) {
        var tagLength: UInt64 = 0
        let status: Int32 = key.withUnsafeBytes { k in
            // Sizes were validated, so the nonce, tag and key pointers are never nil here.
            guard let tagPointer = tag.baseAddress?.assumingMemoryBound(to: UInt8.self),
                  let noncePointer = nonce.baseAddress?.assumingMemoryBound(to: UInt8.self),
                  let keyPointer = k.baseAddress?.assumingMemoryBound(to: UInt8.self)
            else { return -1 }
            // libsodium wants non-null message pointers even for empty messages.
            return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 1) { dummy in
                guard let empty = dummy.baseAddress else { return -1 }
                return crypto_aead_xchacha20poly1305_ietf_encrypt_detached(
                    output.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? empty, tagPointer, &tagLength,
                    input.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? UnsafePointer(empty), UInt64(input.count),
                    associatedData.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt64(associatedData.count),
                    nil, noncePointer, keyPointer)
            }
        }
        guard status == 0 else {
            throw CryptoError(code: .libraryFailure, message: "crypto_aead_xchacha20poly1305_ietf_encrypt_detached failed")
        }
    }

    private func sodiumOpen(_ input: UnsafeRawBufferPointer, tag: UnsafeRawBufferPointer, nonce: UnsafeRawBufferPointer,
                            associatedData: UnsafeRawBufferPointer, output: UnsafeMutableRawBufferPointer) -> Bool {
        let status: Int32 = key.withUnsafeBytes { k in
            guard let tagPointer = tag.baseAddress?.assumingMemoryBound(to: UInt8.self),
                  let noncePointer = nonce.baseAddress?.assumingMemoryBound(to: UInt8.self),
                  let keyPointer = k.baseAddress?.assumingMemoryBound(to: UInt8.self)
            else { return -1 }
            return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 1) { dummy in
                guard let empty = dummy.baseAddress else { return -1 }
                return crypto_aead_xchacha20poly1305_ietf_decrypt_detached(
                    output.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? empty, nil,
                    input.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? UnsafePointer(empty), UInt64(input.count),
                    tagPointer,
                    associatedData.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt64(associatedData.count),
                    noncePointer, keyPointer)
            }
        }
        return status == 0
    }
}
