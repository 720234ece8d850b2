internal import CZeroTrustOpenSSL
import Synchronization

/// Signing and verification with prepared `EVP_PKEY_CTX`s. A context is initialised (and, for
/// RSA, configured with padding and digest) once, then reused: setting one up costs more than an
/// RSA-2048 verification's arithmetic margin (measured ≈ 1.2–2 µs). Contexts are not thread-safe,
/// so each is lent to one caller at a time from a small pool on its key.
enum PKeyOperation {
    enum Purpose: Int { case sign = 0, verify = 1 }

    /// Signs a precomputed digest. `configure` sets padding and digest parameters after init;
    /// `configuration` names that setting so that differently configured contexts never mix.
    static func sign(_ key: EVPKey, digest: UnsafeRawBufferPointer, maximumSignatureLength: Int, configuration: Int = 0,
                     configure: (OpaquePointer) throws(CryptoError) -> Void = { _ in }) throws(CryptoError) -> [UInt8] {
        try key.contextPool.withContext(purpose: .sign, configuration: configuration, key: key, configure: configure) {
            (ctx) throws(CryptoError) in
            var length = maximumSignatureLength
            var signature = [UInt8](repeating: 0, count: maximumSignatureLength)
            try requireOpenSSL(
                EVP_PKEY_sign(ctx, &signature, &length, digest.baseAddress?.assumingMemoryBound(to: UInt8.self), digest.count),
                "EVP_PKEY_sign")
            signature.removeLast(maximumSignatureLength - length)
            return signature
        }
    }

    /// Verifies `signature` over a precomputed digest. Any failure, including a malformed
    /// signature, is `false`; the error queue is cleared so that it does not leak into later calls.
    static func verify(_ key: EVPKey, signature: UnsafeRawBufferPointer, digest: UnsafeRawBufferPointer, configuration: Int = 0,
                       configure: (OpaquePointer) throws(CryptoError) -> Void = { _ in }) -> Bool {
        let verified = try? key.contextPool.withContext(purpose: .verify, configuration: configuration, key: key, configure: configure) {
            (ctx) throws(CryptoError) in
            EVP_PKEY_verify(ctx, signature.baseAddress?.assumingMemoryBound(to: UInt8.self), signature.count,
                            digest.baseAddress?.assumingMemoryBound(to: UInt8.self), digest.count) == 1
        }
        OpenSSLErrorQueue.clear()
        return verified ?? false
    }
}

/// Owns one initialised `EVP_PKEY_CTX`. Sound as `@unchecked Sendable`: a pool hands it to one
/// caller at a time.
final class PKeyContext: @unchecked Sendable {
    let ctx: OpaquePointer
    init(_ ctx: OpaquePointer) { self.ctx = ctx }
    deinit { EVP_PKEY_CTX_free(ctx) }
}

/// Idle prepared contexts of one key, by purpose and configuration. Bounded, so that a burst of
/// concurrency does not pin memory.
final class PKeyContextPool: Sendable {
    private let idle = Mutex<[Int: [PKeyContext]]>([:])
    private static let limit = 16

    func withContext<R>(purpose: PKeyOperation.Purpose, configuration: Int, key: EVPKey,
                        configure: (OpaquePointer) throws(CryptoError) -> Void,
                        _ body: (OpaquePointer) throws(CryptoError) -> R) throws(CryptoError) -> R {
        OpenSSLErrorQueue.clear()
        let slot = configuration << 1 | purpose.rawValue
        let context: PKeyContext
        if let pooled = idle.withLock({ $0[slot]?.popLast() }) {
            context = pooled
        } else {
            guard let ctx = EVP_PKEY_CTX_new_from_pkey(nil, key.pkey, nil) else {
                throw CryptoError.openSSLFailure("EVP_PKEY_CTX_new_from_pkey")
            }
            context = PKeyContext(ctx)
            try requireOpenSSL(purpose == .sign ? EVP_PKEY_sign_init(ctx) : EVP_PKEY_verify_init(ctx), "EVP_PKEY_*_init")
            try configure(ctx)
        }
        // A context whose operation threw is dropped rather than reused.
        let result = try body(context.ctx)
        idle.withLock { pools in
            if pools[slot, default: []].count < Self.limit { pools[slot, default: []].append(context) }
        }
        return result
    }
}
