import ZeroTrustCrypto

/// The per-envelope keys: HKDF-SHA-256 in expand-only mode (RFC 5869 §3.3: the data key is
/// already a uniformly random 256-bit key, so it serves as the PRK and the extract step is
/// skipped) with info `"ZTEV v1 payload key + commitment" ‖ salt ‖ SHA-256(authenticated header
/// fields)`, expanded to 64 bytes: the first 32 are the payload (segment) key, the last 32 the key
/// commitment stored in the header. The random per-envelope salt in the info makes every
/// envelope's payload key independent even when a data key is re-used (``DataKeyCache``), and
/// expand-only lets one HMAC context keyed with the data key serve many envelopes
/// (``EnvelopeSealer``), which is what makes small-object sealing fast.
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

    static let label: [UInt8] = Array("ZTEV v1 payload key + commitment".utf8)

    /// Derives the keys with a fresh HMAC context.
    init(dataKey: SymmetricKey, salt: [UInt8], authenticatedDigest: [UInt8]) throws {
        self = try EnvelopeKeyDerivation(dataKey: dataKey).derive(salt: salt, authenticatedDigest: authenticatedDigest)
    }

    init(payloadKey: SymmetricKey, commitment: [UInt8]) {
        self.payloadKey = payloadKey
        self.commitment = commitment
    }

    /// Derives the keys for `header` and checks its commitment in constant time.
    static func verified(dataKey: SymmetricKey, header: EnvelopeHeader) throws -> SymmetricKey {
        try verified(EnvelopeKeyDerivation(dataKey: dataKey), header: header)
    }

    static func verified(_ derivation: EnvelopeKeyDerivation, header: EnvelopeHeader) throws -> SymmetricKey {
        let keys = try derivation.derive(salt: header.salt, authenticatedDigest: try header.authenticatedDigest)
        guard constantTimeEquals(keys.commitment, header.keyCommitment) else {
            throw EnvelopeError(code: .headerAuthenticationFailed,
                                message: "key commitment does not match: the header was modified or the data key is not this envelope's")
        }
        return keys.payloadKey
    }
}

/// HKDF-Expand keyed once with a data key: T1 = HMAC(DEK, info ‖ 01), T2 = HMAC(DEK, T1 ‖ info ‖ 02).
/// `Sendable`: it holds an ``HMACKey``, whose keyed contexts are pooled, so one derivation (and the
/// ``EnvelopeSealer`` around it) can be shared by ``DataKeyCache`` between tasks.
final class EnvelopeKeyDerivation: Sendable {
    private let hmac: HMACKey

    init(dataKey: SymmetricKey) throws {
        guard dataKey.byteCount == 32 else {
            throw EnvelopeError(code: .invalidParameter, message: "data keys are 32 bytes, got \(dataKey.byteCount)")
        }
        hmac = try HMACKey(dataKey, algorithm: .sha256)
    }

    func derive(salt: [UInt8], authenticatedDigest: [UInt8]) throws -> EnvelopeKeys {
        var commitment = [UInt8](repeating: 0, count: 32)
        let payloadKey = try salt.withUnsafeBytes { s in
            try authenticatedDigest.withUnsafeBytes { a in
                try commitment.withUnsafeMutableBytes { c in try derive(salt: s, authenticatedDigest: a, commitment: c) }
            }
        }
        return EnvelopeKeys(payloadKey: payloadKey, commitment: commitment)
    }

    /// Returns the payload key and writes the 32-byte commitment into `commitment`.
    func derive(salt: UnsafeRawBufferPointer, authenticatedDigest: UnsafeRawBufferPointer,
                commitment: UnsafeMutableRawBufferPointer) throws -> SymmetricKey {
        let label = EnvelopeKeys.label.count
        let infoCount = label + salt.count + authenticatedDigest.count
        // T1 ‖ info ‖ counter in one scratch buffer, wiped after use (T1 is the payload key).
        let scratchCount = 32 + infoCount + 1
        return try withUnsafeTemporaryAllocation(byteCount: scratchCount, alignment: 16) { scratch in
            defer { zeroize(scratch) }
            EnvelopeKeys.label.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: scratch[32..<(32 + label)]).copyMemory(from: $0) }
            UnsafeMutableRawBufferPointer(rebasing: scratch[(32 + label)..<(32 + label + salt.count)]).copyMemory(from: salt)
            UnsafeMutableRawBufferPointer(rebasing: scratch[(32 + label + salt.count)..<(32 + infoCount)]).copyMemory(from: authenticatedDigest)
            scratch[scratchCount - 1] = 1
            // T1 = HMAC(DEK, info ‖ 01), written at the front of the scratch buffer.
            try hmac.authenticate(UnsafeRawBufferPointer(rebasing: scratch[32...]), into: UnsafeMutableRawBufferPointer(rebasing: scratch[..<32]))
            let payloadKey = SymmetricKey(bytes: SecureBytes(copying: UnsafeRawBufferPointer(rebasing: scratch[..<32])))
            scratch[scratchCount - 1] = 2
            try hmac.authenticate(UnsafeRawBufferPointer(scratch), into: commitment)
            return payloadKey
        }
    }
}
