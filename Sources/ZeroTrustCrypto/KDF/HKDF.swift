public import Foundation
internal import CZeroTrustShims

/// HKDF (RFC 5869) with SHA-256, SHA-384 or SHA-512 through OpenSSL's `EVP_KDF`.
///
/// ```swift
/// let subkey = try HKDF.deriveKey(inputKeyMaterial: master, salt: salt,
///                                 info: Array("zt envelope v1".utf8),
///                                 outputByteCount: 32, algorithm: .sha256)
/// ```
public enum HKDF {
    /// The largest output RFC 5869 allows: 255 blocks of the digest length.
    public static func maximumOutputByteCount(for algorithm: HashAlgorithm) -> Int {
        255 * algorithm.digestByteCount
    }

    /// Extract-then-expand. An empty `salt` means HashLen zero bytes (RFC 5869 §2.2).
    public static func deriveKey(inputKeyMaterial: SymmetricKey, salt: some ContiguousBytes = [UInt8](),
                                 info: some ContiguousBytes = [UInt8](), outputByteCount: Int,
                                 algorithm: HashAlgorithm) throws -> SymmetricKey {
        try derive(mode: 0, key: inputKeyMaterial, salt: salt, info: info, outputByteCount: outputByteCount,
                   algorithm: algorithm)
    }

    /// The extract step alone: the pseudorandom key PRK, HashLen bytes.
    public static func extract(inputKeyMaterial: SymmetricKey, salt: some ContiguousBytes = [UInt8](),
                               algorithm: HashAlgorithm) throws -> SymmetricKey {
        try derive(mode: 1, key: inputKeyMaterial, salt: salt, info: [UInt8](),
                   outputByteCount: algorithm.digestByteCount, algorithm: algorithm)
    }

    /// The expand step alone, from a pseudorandom key of at least HashLen bytes.
    public static func expand(pseudoRandomKey: SymmetricKey, info: some ContiguousBytes = [UInt8](),
                              outputByteCount: Int, algorithm: HashAlgorithm) throws -> SymmetricKey {
        guard pseudoRandomKey.byteCount >= algorithm.digestByteCount else {
            throw CryptoError(code: .invalidKeySize,
                              message: "HKDF-Expand needs a PRK of at least \(algorithm.digestByteCount) bytes, got \(pseudoRandomKey.byteCount)")
        }
        return try derive(mode: 2, key: pseudoRandomKey, salt: [UInt8](), info: info,
                          outputByteCount: outputByteCount, algorithm: algorithm)
    }

    private static func derive(mode: Int32, key: SymmetricKey, salt: some ContiguousBytes, info: some ContiguousBytes,
                               outputByteCount: Int, algorithm: HashAlgorithm) throws -> SymmetricKey {
        let maximum = maximumOutputByteCount(for: algorithm)
        guard (1...maximum).contains(outputByteCount) else {
            throw CryptoError(code: .invalidParameter,
                              message: "HKDF-\(algorithm.rawValue) output must be 1 to \(maximum) bytes, not \(outputByteCount)")
        }
        let output = try SecureBytes(count: outputByteCount) { out in
            let status = key.withUnsafeBytes { k in
                salt.withUnsafeBytes { s in
                    info.withUnsafeBytes { i in
                        zt_hkdf(algorithm.openSSLName, mode, k.baseAddress, k.count, s.baseAddress, s.count,
                                i.baseAddress, i.count, out.baseAddress, out.count)
                    }
                }
            }
            if status != 1 { throw CryptoError.openSSLFailure("EVP_KDF_derive (HKDF)") }
        }
        return SymmetricKey(bytes: output)
    }
}
