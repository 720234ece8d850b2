import Foundation
import ZeroTrustCrypto

/// The on-disk form of a ``LocalKMS`` keyring: one file, `DIR/keyring`, of two lines:
///
/// 1. the keyring as JSON (below), and
/// 2. `hmac-sha256:` and the hex HMAC of line 1 under a key derived from the master key,
///
/// so that any change to key states, primary versions or wrapped material is detected.
///
/// Key-encryption keys are stored sealed (AES-256-GCM, random nonce) under a key derived from
/// the master key, with associated data `"zt-keyring v1 kek" ‖ id length ‖ id ‖ version ‖ algorithm`.
/// The master key is either 32 bytes from a key file or Argon2id(passphrase, salt, parameters),
/// the salt and parameters being recorded here. The sub-keys are HKDF-SHA-256 expansions of the
/// master key with the keyring salt and the labels `zt-keyring v1 check`, `… mac`, `… kek seal`;
/// `check` is stored, so a wrong master key is told apart from a modified keyring.
struct Keyring: Codable {
    struct Master: Codable {
        /// `passphrase` or `keyFile`.
        var source: String
        var argon2Iterations: UInt64?
        var argon2MemoryBytes: UInt64?
        /// Base64 salt for Argon2id and HKDF.
        var salt: String
        /// Hex of the check value.
        var check: String
    }

    struct Version: Codable {
        var version: UInt32
        var state: KeyVersionState
        var createdAt: Int64
        /// Base64 of nonce ‖ sealed key ‖ tag; absent once destroyed.
        var material: String?
    }

    struct Key: Codable {
        var id: String
        var algorithm: String
        var primary: UInt32
        var versions: [Version]
        var destroyed: Bool
    }

    static let formatName = "zt-keyring/1"
    var format: String
    var master: Master
    var keys: [Key]
    /// Incremented on every change.
    var generation: UInt64

    func key(_ id: String) throws(EnvelopeError) -> Key {
        guard let key = keys.first(where: { $0.id == id }) else {
            throw EnvelopeError(code: .keyNotFound, message: "no key \(id) in the keyring")
        }
        if key.destroyed { throw EnvelopeError(code: .keyDestroyed, message: "key \(id) was destroyed") }
        return key
    }

    var descriptions: [KeyDescription] {
        keys.map { key in
            KeyDescription(keyID: key.id, algorithm: key.algorithm, primaryVersion: key.primary,
                           versions: key.versions.map {
                               KeyVersionDescription(version: $0.version, state: $0.state, createdAt: Date(timeIntervalSince1970: TimeInterval($0.createdAt)))
                           })
        }
    }
}

/// The keys derived from a keyring's master key.
struct KeyringKeys {
    let check: [UInt8]
    let mac: SymmetricKey
    let seal: SymmetricKey

    init(master: SymmetricKey, salt: [UInt8]) throws {
        func derive(_ label: String) throws -> SymmetricKey {
            try HKDF.deriveKey(inputKeyMaterial: master, salt: salt, info: Array("zt-keyring v1 \(label)".utf8), outputByteCount: 32,
                               algorithm: .sha256)
        }
        check = try derive("check").withUnsafeBytes { Array($0) }
        mac = try derive("mac")
        seal = try derive("kek seal")
    }

    func sealMaterial(_ kek: SymmetricKey, keyID: String, version: UInt32, algorithm: EnvelopeAlgorithm) throws -> String {
        var plaintext = kek.withUnsafeBytes { Array($0) }
        defer { plaintext.withUnsafeMutableBytes { zeroize($0) } }
        let box = try AES256GCM.seal(plaintext, using: seal, authenticating: Self.materialAD(keyID, version, algorithm))
        return Data(box.combined).base64EncodedString()
    }

    func openMaterial(_ material: String, keyID: String, version: UInt32, algorithm: EnvelopeAlgorithm) throws -> SymmetricKey {
        guard let data = Data(base64Encoded: material),
              let box = try? AEADSealedBox(combined: data, algorithm: .aes256GCM),
              var plaintext = try? AES256GCM.open(box, using: seal, authenticating: Self.materialAD(keyID, version, algorithm))
        else {
            throw EnvelopeError(code: .keyringTampered, message: "the material of key \(keyID) version \(version) does not authenticate")
        }
        defer { plaintext.withUnsafeMutableBytes { zeroize($0) } }
        return SymmetricKey(data: plaintext)
    }

    private static func materialAD(_ keyID: String, _ version: UInt32, _ algorithm: EnvelopeAlgorithm) -> [UInt8] {
        var writer = ByteWriter()
        writer.append(Array("zt-keyring v1 kek".utf8))
        writer.append(UInt8(keyID.utf8.count))
        writer.append(keyID.utf8)
        writer.append(version)
        writer.append(algorithm.rawValue)
        return writer.bytes
    }
}
