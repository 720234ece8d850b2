import ZeroTrustCrypto

/// The per-envelope keys: HKDF-SHA-256 with the data key as input key material, the header's
/// salt as salt, and `"ZTEV v1 payload key + commitment" ‖ SHA-256(authenticated header fields)`
/// as info, expanded to 64 bytes: the first 32 are the payload (segment) key, the last 32 the
/// key commitment stored in the header.
///
/// Why a commitment: AES-GCM and ChaCha20-Poly1305 are not key-committing. One ciphertext can be
/// made to decrypt validly under two different keys (Dodis, Grubbs, Ristenpart, Woodage,
/// "Fast Message Franking: From Invisible Salamanders to Encryptment", CRYPTO 2018; Len, Grubbs,
/// Ristenpart, "Partitioning Oracle Attacks", USENIX Security 2021), so an attacker who can get a
/// second wrapped key accepted could make one envelope decrypt to two different plaintexts for
/// two readers. Checking a collision-resistant commitment to the key before decrypting removes
/// that ("How to Abuse and Fix Authenticated Encryption Without Key Commitment", Albertini et al.,
/// USENIX Security 2022, the "commitment from the KDF" fix also used by the AWS Encryption SDK).
struct EnvelopeKeys {
    let payloadKey: SymmetricKey
    let commitment: [UInt8]

    private static let label: [UInt8] = Array("ZTEV v1 payload key + commitment".utf8)

    init(dataKey: SymmetricKey, salt: [UInt8], authenticatedDigest: [UInt8]) throws {
        guard dataKey.byteCount == 32 else {
            throw EnvelopeError(code: .invalidParameter, message: "data keys are 32 bytes, got \(dataKey.byteCount)")
        }
        let material = try HKDF.deriveKey(inputKeyMaterial: dataKey, salt: salt, info: Self.label + authenticatedDigest,
                                          outputByteCount: 64, algorithm: .sha256)
        payloadKey = material.withUnsafeBytes { SymmetricKey(bytes: SecureBytes(copying: UnsafeRawBufferPointer(rebasing: $0[..<32]))) }
        commitment = material.withUnsafeBytes { Array($0[32...]) }
    }

    /// Derives the keys for `header` and checks its commitment in constant time.
    static func verified(dataKey: SymmetricKey, header: EnvelopeHeader) throws -> SymmetricKey {
        let keys = try EnvelopeKeys(dataKey: dataKey, salt: header.salt, authenticatedDigest: try header.authenticatedDigest)
        guard constantTimeEquals(keys.commitment, header.keyCommitment) else {
            throw EnvelopeError(code: .headerAuthenticationFailed,
                                message: "key commitment does not match: the header was modified or the data key is not this envelope's")
        }
        return keys.payloadKey
    }
}
