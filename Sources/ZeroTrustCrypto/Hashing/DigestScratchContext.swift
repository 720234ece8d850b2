internal import CZeroTrustOpenSSL

/// One `EVP_MD_CTX` reused for many one-shot hashes, written into the caller's buffer: for hot
/// paths such as chaining audit records, where `SHA2.hash` would create and free a context (two
/// heap allocations in OpenSSL 3) and a `Digest` for every message. Re-initialising a context for
/// the same digest keeps OpenSSL's provider state, so a hash through this context allocates nothing.
///
/// Not `Sendable` (it owns a mutable C context): one per writer or verifier.
package final class DigestScratchContext {
    /// The hash function.
    package let algorithm: HashAlgorithm
    private let ctx: OpaquePointer
    private let md: OpaquePointer

    package init(_ algorithm: HashAlgorithm) throws {
        self.algorithm = algorithm
        md = try algorithm.evpMD()
        OpenSSLErrorQueue.clear()
        guard let ctx = EVP_MD_CTX_new() else { throw CryptoError.openSSLFailure("EVP_MD_CTX_new") }
        self.ctx = ctx
    }

    deinit { EVP_MD_CTX_free(ctx) }

    /// Hashes `buffer` into the first ``HashAlgorithm/digestByteCount`` bytes of `output` and
    /// returns that count. `output` must hold at least the digest length.
    @discardableResult
    package func hash(_ buffer: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws -> Int {
        guard output.count >= algorithm.digestByteCount else {
            throw CryptoError(code: .invalidBuffer,
                              message: "digest buffer holds \(output.count) bytes, needs \(algorithm.digestByteCount)")
        }
        // As in HMACContext: success is decided by return codes, and a failure drains the queue
        // into its error, so the queue is not cleared up front on this hot path.
        var size: UInt32 = 0
        try requireOpenSSL(EVP_DigestInit_ex(ctx, md, nil), "EVP_DigestInit_ex")
        if buffer.count > 0 {
            try requireOpenSSL(EVP_DigestUpdate(ctx, buffer.baseAddress, buffer.count), "EVP_DigestUpdate")
        }
        try requireOpenSSL(EVP_DigestFinal_ex(ctx, output.baseAddress, &size), "EVP_DigestFinal_ex")
        return Int(size)
    }
}

@available(*, unavailable, message: "DigestScratchContext owns a mutable OpenSSL context; use one per task")
extension DigestScratchContext: Sendable {}
