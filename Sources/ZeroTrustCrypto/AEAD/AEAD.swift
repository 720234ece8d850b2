public import Foundation

/// One-shot sealing and opening for an ``AEADAlgorithm``; conformers are the namespaces
/// ``AES256GCM``, ``ChaCha20Poly1305`` and ``XChaCha20Poly1305``.
///
/// ```swift
/// let key = SymmetricKey(size: .bits256)
/// let box = try AES256GCM.seal(Array("weights".utf8), using: key, authenticating: Array("model-7".utf8))
/// let plaintext = try AES256GCM.open(box, using: key, authenticating: Array("model-7".utf8))
/// ```
///
/// Each call sets up a cipher context. To seal many messages under one key, or to work in place
/// without allocating, use ``AEADContext``.
public protocol AEAD: Sendable {
    /// The algorithm this namespace implements.
    static var algorithm: AEADAlgorithm { get }
}

extension AEAD {
    /// Seals `plaintext` under a fresh random nonce.
    ///
    /// With 96-bit nonces (AES-256-GCM, ChaCha20-Poly1305), seal at most 2^32 messages under one
    /// key this way (NIST SP 800-38D §8.3); ``AEADContext`` counts them for you.
    public static func seal(_ plaintext: some ContiguousBytes, using key: SymmetricKey,
                            authenticating associatedData: some ContiguousBytes = [UInt8]()) throws -> AEADSealedBox {
        try seal(plaintext, using: key, nonce: SecureRandom.bytes(count: algorithm.nonceByteCount),
                 authenticating: associatedData)
    }

    /// Seals `plaintext` under a caller-chosen nonce. Never reuse a nonce with the same key.
    public static func seal(_ plaintext: some ContiguousBytes, using key: SymmetricKey, nonce: some ContiguousBytes,
                            authenticating associatedData: some ContiguousBytes = [UInt8]()) throws -> AEADSealedBox {
        let engine = try AEADEngine(algorithm: algorithm, key: key)
        let nonceBytes = nonce.withUnsafeBytes { Array($0) }
        var tag = [UInt8](repeating: 0, count: algorithm.tagByteCount)
        let ciphertext = try plaintext.withUnsafeBytes { input in
            try [UInt8](unsafeUninitializedCapacity: input.count) { output, count in
                try nonceBytes.withUnsafeBytes { n in
                    try associatedData.withUnsafeBytes { aad in
                        try tag.withUnsafeMutableBytes { t in
                            try engine.seal(input, nonce: n, associatedData: aad, output: UnsafeMutableRawBufferPointer(output), tag: t)
                        }
                    }
                }
                count = input.count
            }
        }
        return try AEADSealedBox(algorithm: algorithm, nonce: nonceBytes, ciphertext: ciphertext, tag: tag)
    }

    /// Opens `box`, or throws ``CryptoError/Code/authenticationFailure`` when the ciphertext, tag,
    /// nonce, key or associated data do not match. No plaintext is released on failure.
    public static func open(_ box: AEADSealedBox, using key: SymmetricKey,
                            authenticating associatedData: some ContiguousBytes = [UInt8]()) throws -> [UInt8] {
        guard box.algorithm == algorithm else {
            throw CryptoError(code: .invalidParameter,
                              message: "box was sealed with \(box.algorithm.rawValue), not \(algorithm.rawValue)")
        }
        let engine = try AEADEngine(algorithm: algorithm, key: key)
        return try box.ciphertext.withUnsafeBytes { input in
            try [UInt8](unsafeUninitializedCapacity: input.count) { output, count in
                count = 0
                try box.nonce.withUnsafeBytes { n in
                    try box.tag.withUnsafeBytes { t in
                        try associatedData.withUnsafeBytes { aad in
                            try engine.open(input, tag: t, nonce: n, associatedData: aad, output: UnsafeMutableRawBufferPointer(output))
                        }
                    }
                }
                count = input.count
            }
        }
    }
}

/// AES-256-GCM (NIST SP 800-38D) with 96-bit nonces and 128-bit tags, through OpenSSL.
public enum AES256GCM: AEAD {
    /// ``AEADAlgorithm/aes256GCM``.
    public static var algorithm: AEADAlgorithm { .aes256GCM }
}

/// ChaCha20-Poly1305 (RFC 8439) with 96-bit nonces, through OpenSSL.
public enum ChaCha20Poly1305: AEAD {
    /// ``AEADAlgorithm/chacha20Poly1305``.
    public static var algorithm: AEADAlgorithm { .chacha20Poly1305 }
}

/// XChaCha20-Poly1305 with 192-bit nonces, through libsodium.
public enum XChaCha20Poly1305: AEAD {
    /// ``AEADAlgorithm/xchacha20Poly1305``.
    public static var algorithm: AEADAlgorithm { .xchacha20Poly1305 }
}
