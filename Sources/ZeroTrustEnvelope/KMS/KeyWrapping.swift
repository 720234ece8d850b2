package import ZeroTrustCrypto

/// How this library's key management services wrap a data key under a key-encryption key
/// version. The ciphertext inside a ``WrappedKey`` is
/// `algorithm id (1) ‖ random nonce ‖ encrypted key ‖ tag`, sealed with associated data
/// `"ZTWK v1 wrap" ‖ framing prefix (magic, version, key id, KEK version) ‖ canonical context`.
package enum KeyWrapping {
    private static let label: [UInt8] = Array("ZTWK v1 wrap".utf8)

    package static func wrap(_ key: SymmetricKey, under kek: SymmetricKey, algorithm: EnvelopeAlgorithm,
                             reference: KeyReference, context: EncryptionContext) throws -> WrappedKey {
        let associatedData = try self.associatedData(reference, context)
        var plaintext = key.withUnsafeBytes { Array($0) }
        defer { plaintext.withUnsafeMutableBytes { zeroize($0) } }
        let box = switch algorithm {
        case .aes256GCM: try AES256GCM.seal(plaintext, using: kek, authenticating: associatedData)
        case .xchacha20Poly1305: try XChaCha20Poly1305.seal(plaintext, using: kek, authenticating: associatedData)
        }
        return try WrappedKey(reference: reference, ciphertext: [algorithm.rawValue] + box.combined)
    }

    package static func unwrap(_ wrapped: WrappedKey, with kek: SymmetricKey, algorithm: EnvelopeAlgorithm,
                               context: EncryptionContext) throws -> SymmetricKey {
        guard let id = wrapped.ciphertext.first else {
            throw EnvelopeError(code: .malformedWrappedKey, message: "wrapped key \(wrapped.reference) has no ciphertext")
        }
        let named = try EnvelopeAlgorithm.identified(by: id, in: "wrapped key \(wrapped.reference)")
        guard named == algorithm else {
            throw EnvelopeError(code: .unwrapFailed, message: "wrapped key \(wrapped.reference) names \(named), but the key is \(algorithm)")
        }
        let box: AEADSealedBox
        do {
            box = try AEADSealedBox(combined: wrapped.ciphertext.dropFirst(), algorithm: algorithm.aead)
        } catch {
            throw EnvelopeError(code: .malformedWrappedKey, message: "wrapped key \(wrapped.reference) is too short")
        }
        let associatedData = try self.associatedData(wrapped.reference, context)
        var plaintext: [UInt8]
        do {
            switch algorithm {
            case .aes256GCM: plaintext = try AES256GCM.open(box, using: kek, authenticating: associatedData)
            case .xchacha20Poly1305: plaintext = try XChaCha20Poly1305.open(box, using: kek, authenticating: associatedData)
            }
        } catch {
            throw EnvelopeError(code: .unwrapFailed,
                                message: "data key wrapped under \(wrapped.reference) did not unwrap: another key, another encryption context, or tampering")
        }
        defer { plaintext.withUnsafeMutableBytes { zeroize($0) } }
        guard plaintext.count == 32 else {
            throw EnvelopeError(code: .unwrapFailed, message: "data key wrapped under \(wrapped.reference) is not 32 bytes")
        }
        return SymmetricKey(data: plaintext)
    }

    private static func associatedData(_ reference: KeyReference, _ context: EncryptionContext) throws -> [UInt8] {
        label + WrappedKey.framingPrefix(reference) + (try context.canonicalBytes)
    }
}
