internal import CZeroTrustOpenSSL

extension SHA2 {
    /// Hashes `buffer` into the first ``HashAlgorithm/digestByteCount`` bytes of `output` and
    /// returns that count, without allocating a ``Digest``: for hot paths such as chaining audit
    /// records. `output` must hold at least the digest length.
    package static func hash(_ buffer: UnsafeRawBufferPointer, using algorithm: HashAlgorithm,
                             into output: UnsafeMutableRawBufferPointer) throws -> Int {
        guard output.count >= algorithm.digestByteCount else {
            throw CryptoError(code: .invalidBuffer,
                              message: "digest buffer holds \(output.count) bytes, needs \(algorithm.digestByteCount)")
        }
        let md = try algorithm.evpMD()
        var size: UInt32 = 0
        OpenSSLErrorQueue.clear()
        try requireOpenSSL(EVP_Digest(buffer.baseAddress, buffer.count, output.baseAddress, &size, md, nil), "EVP_Digest")
        return Int(size)
    }
}
