internal import CZeroTrustOpenSSL

/// One signing or verification with a fresh `EVP_PKEY_CTX` (contexts are not thread-safe, keys are).
enum PKeyOperation {
    /// Signs a precomputed digest. `configure` sets padding and digest parameters after init.
    static func sign(_ key: EVPKey, digest: UnsafeRawBufferPointer, maximumSignatureLength: Int,
                     configure: (OpaquePointer) throws(CryptoError) -> Void = { _ in }) throws(CryptoError) -> [UInt8] {
        OpenSSLErrorQueue.clear()
        guard let ctx = EVP_PKEY_CTX_new_from_pkey(nil, key.pkey, nil) else {
            throw CryptoError.openSSLFailure("EVP_PKEY_CTX_new_from_pkey")
        }
        defer { EVP_PKEY_CTX_free(ctx) }
        try requireOpenSSL(EVP_PKEY_sign_init(ctx), "EVP_PKEY_sign_init")
        try configure(ctx)
        var length = maximumSignatureLength
        var signature = [UInt8](repeating: 0, count: maximumSignatureLength)
        try requireOpenSSL(
            EVP_PKEY_sign(ctx, &signature, &length, digest.baseAddress?.assumingMemoryBound(to: UInt8.self), digest.count),
            "EVP_PKEY_sign")
        signature.removeLast(maximumSignatureLength - length)
        return signature
    }

    /// Verifies `signature` over a precomputed digest. Any failure, including a malformed
    /// signature, is `false`; the error queue is cleared so that it does not leak into later calls.
    static func verify(_ key: EVPKey, signature: UnsafeRawBufferPointer, digest: UnsafeRawBufferPointer,
                       configure: (OpaquePointer) throws(CryptoError) -> Void = { _ in }) -> Bool {
        OpenSSLErrorQueue.clear()
        defer { OpenSSLErrorQueue.clear() }
        guard let ctx = EVP_PKEY_CTX_new_from_pkey(nil, key.pkey, nil) else { return false }
        defer { EVP_PKEY_CTX_free(ctx) }
        guard EVP_PKEY_verify_init(ctx) == 1 else { return false }
        do { try configure(ctx) } catch { return false }
        return EVP_PKEY_verify(ctx, signature.baseAddress?.assumingMemoryBound(to: UInt8.self), signature.count,
                               digest.baseAddress?.assumingMemoryBound(to: UInt8.self), digest.count) == 1
    }
}
