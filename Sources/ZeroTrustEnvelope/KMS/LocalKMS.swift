public import Foundation
public import ZeroTrustCrypto

/// A key management service backed by a keyring directory: key-encryption keys (AES-256-GCM or
/// XChaCha20-Poly1305) stored encrypted under a master key that comes from a key file or from a
/// passphrase through Argon2id (parameters and salt recorded in the keyring).
///
/// Every change (create, rotate, disable, enable, destroy) re-reads and verifies the keyring,
/// applies the change and writes the whole keyring atomically with `SecretFile` (temporary
/// file, `fsync`, `rename`, `fsync` of the directory, mode 0600): a crash at any point leaves
/// either the old or the new keyring. Changes made by another process are picked up by
/// ``reload()``, before every change, and when an unknown key version is asked for.
/// Concurrent writers in different processes are not serialised: run one administrator at a time.
///
/// ```swift
/// let kms = try LocalKMS.create(directory: "/var/lib/pipeline/kms", masterKey: .passphrase(passphrase))
/// try await kms.createKey("datasets")
/// try await kms.rotateKey("datasets")           // new primary; version 1 still unwraps
/// try await kms.disableVersion(1, of: "datasets")
/// ```
public actor LocalKMS: KeyManagementService {
    /// Where the master key comes from.
    public enum MasterKey: Sendable {
        /// A 32-byte key.
        case key(SymmetricKey)
        /// A file holding 32 raw bytes, or their standard base64 on one line (what
        /// `zt crypto keygen --type aes-256-gcm` writes).
        case keyFile(String)
        /// A passphrase, stretched with Argon2id.
        case passphrase(SecureBytes)
    }

    /// The keyring's file name inside the directory.
    public static let keyringFileName = "keyring"

    /// The keyring directory.
    public let directory: String
    private let keys: KeyringKeys
    private let now: @Sendable () -> Date
    private var keyring: Keyring
    private var unsealed: [KeyReference: SymmetricKey] = [:]

    private var keyringPath: String { directory + "/" + Self.keyringFileName }

    /// Creates a new, empty keyring in `directory` (created with mode 0700 when missing).
    /// `argon2` sets the cost of deriving the master key from a passphrase; the default
    /// (`moderate`: 3 passes over 256 MiB) is meant for real keyrings.
    public static func create(directory: String, masterKey: MasterKey, argon2: Argon2id.Parameters = .moderate,
                              now: @escaping @Sendable () -> Date = { Date() }) throws -> LocalKMS {
        let path = directory + "/" + keyringFileName
        guard !FileManager.default.fileExists(atPath: path) else {
            throw EnvelopeError(code: .keyringExists, message: "a keyring already exists at \(path)")
        }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw EnvelopeError(code: .ioError, message: "cannot create the keyring directory \(directory)")
        }
        let salt = SecureRandom.bytes(count: Argon2id.saltByteCount)
        let isPassphrase = if case .passphrase = masterKey { true } else { false }
        let root = try resolve(masterKey, salt: salt, parameters: argon2)
        let keys = try KeyringKeys(master: root, salt: salt)
        let master = Keyring.Master(source: isPassphrase ? "passphrase" : "keyFile",
                                    argon2Iterations: isPassphrase ? argon2.iterations : nil,
                                    argon2MemoryBytes: isPassphrase ? argon2.memoryBytes : nil,
                                    salt: Data(salt).base64EncodedString(), check: Hex.encode(keys.check))
        let keyring = Keyring(format: Keyring.formatName, master: master, keys: [], generation: 0)
        try write(keyring, keys: keys, to: path)
        return LocalKMS(directory: directory, keys: keys, keyring: keyring, now: now)
    }

    /// Opens the keyring in `directory`. Throws ``EnvelopeError/Code/wrongMasterKey`` when the
    /// master key or passphrase is not this keyring's, ``EnvelopeError/Code/keyringTampered``
    /// when the keyring was modified, ``EnvelopeError/Code/keyringUnavailable`` when it is missing
    /// or unreadable.
    public init(directory: String, masterKey: MasterKey, now: @escaping @Sendable () -> Date = { Date() }) throws {
        let path = directory + "/" + Self.keyringFileName
        let text = try Self.readText(path)
        let master = try Self.decodeBody(text, path: path).master
        guard let salt = Data(base64Encoded: master.salt).map(Array.init), salt.count == Argon2id.saltByteCount else {
            throw EnvelopeError(code: .keyringUnavailable, message: "\(path): bad master salt")
        }
        switch (master.source, masterKey) {
        case ("passphrase", .passphrase), ("keyFile", .key), ("keyFile", .keyFile): break
        default:
            throw EnvelopeError(code: .wrongMasterKey,
                                message: "\(path) is protected by a \(master.source == "passphrase" ? "passphrase" : "master key file"), and a different kind of master key was given")
        }
        let parameters = Argon2id.Parameters(iterations: master.argon2Iterations ?? 0, memoryBytes: master.argon2MemoryBytes ?? 0)
        let keys = try KeyringKeys(master: try Self.resolve(masterKey, salt: salt, parameters: parameters), salt: salt)
        guard let check = Hex.decode(master.check), constantTimeEquals(check, keys.check) else {
            throw EnvelopeError(code: .wrongMasterKey,
                                message: "the \(master.source == "passphrase" ? "passphrase" : "master key") does not open the keyring at \(path)")
        }
        self.init(directory: directory, keys: keys, keyring: try Self.verify(text, keys: keys, path: path), now: now)
    }

    private init(directory: String, keys: KeyringKeys, keyring: Keyring, now: @escaping @Sendable () -> Date) {
        self.directory = directory
        self.keys = keys
        self.keyring = keyring
        self.now = now
    }

    // MARK: Administration

    /// Creates key `keyID` with version 1 as its primary.
    @discardableResult
    public func createKey(_ keyID: String, algorithm: EnvelopeAlgorithm = .aes256GCM) throws -> KeyDescription {
        try KeyReference.validate(keyID: keyID)
        return try modify(keyID) { keyring in
            guard !keyring.keys.contains(where: { $0.id == keyID }) else {
                throw EnvelopeError(code: .keyExists, message: "key \(keyID) already exists (ids of destroyed keys are not re-used)")
            }
            keyring.keys.append(Keyring.Key(id: keyID, algorithm: algorithm.name, primary: 1,
                                            versions: [try newVersion(1, keyID: keyID, algorithm: algorithm)], destroyed: false))
        }
    }

    /// Adds a new version of `keyID` and makes it primary; older versions still unwrap.
    @discardableResult
    public func rotateKey(_ keyID: String) throws -> KeyDescription {
        try modify(keyID) { keyring in
            try Self.update(&keyring, keyID) { key in
                let next = (key.versions.map(\.version).max() ?? 0) + 1
                key.versions.append(try newVersion(next, keyID: keyID, algorithm: try Self.algorithm(key)))
                key.primary = next
            }
        }
    }

    /// Disables `version` of `keyID`: it no longer unwraps. The primary version cannot be
    /// disabled; rotate first.
    @discardableResult
    public func disableVersion(_ version: UInt32, of keyID: String) throws -> KeyDescription {
        try setState(.disabled, version: version, of: keyID)
    }

    /// Enables a disabled version again.
    @discardableResult
    public func enableVersion(_ version: UInt32, of keyID: String) throws -> KeyDescription {
        try setState(.enabled, version: version, of: keyID)
    }

    /// Destroys every version of `keyID` (crypto-shredding): everything it wrapped becomes
    /// undecryptable. The id stays reserved.
    public func destroyKey(_ keyID: String) throws {
        _ = try modify(keyID) { keyring in
            try Self.update(&keyring, keyID) { key in
                key.destroyed = true
                for index in key.versions.indices {
                    key.versions[index].material = nil
                    key.versions[index].state = .destroyed
                }
            }
        }
    }

    /// Every key's metadata, without material.
    public func listKeys() -> [KeyDescription] { keyring.descriptions }

    /// Re-reads the keyring from disk (changes made by other processes).
    public func reload() throws {
        keyring = try Self.verify(try Self.readText(keyringPath), keys: keys, path: keyringPath)
        unsealed.removeAll()
    }

    // MARK: KeyManagementService

    /// Wraps `key` under the primary version of `keyID`.
    public func wrap(_ key: SymmetricKey, keyID: String, context: EncryptionContext) throws -> WrappedKey {
        let entry = try keyring.key(keyID)
        let reference = KeyReference(keyID: keyID, version: entry.primary)
        return try KeyWrapping.wrap(key, under: try kek(reference), algorithm: try Self.algorithm(entry), reference: reference,
                                    context: context)
    }

    /// Unwraps with the key version named inside `wrapped`.
    public func unwrap(_ wrapped: WrappedKey, context: EncryptionContext) throws -> SymmetricKey {
        if (try? kek(wrapped.reference)) == nil { try reload() }
        let entry = try keyring.key(wrapped.reference.keyID)
        return try KeyWrapping.unwrap(wrapped, with: try kek(wrapped.reference), algorithm: try Self.algorithm(entry), context: context)
    }

    /// The metadata of `keyID`.
    public func describeKey(_ keyID: String) throws -> KeyDescription {
        _ = try keyring.key(keyID)
        guard let description = keyring.descriptions.first(where: { $0.keyID == keyID }) else {
            throw EnvelopeError(code: .keyNotFound, message: "no key \(keyID) in the keyring")
        }
        return description
    }

    // MARK: Internals

    private func kek(_ reference: KeyReference) throws -> SymmetricKey {
        if let cached = unsealed[reference] { return cached }
        let key = try keyring.key(reference.keyID)
        guard let version = key.versions.first(where: { $0.version == reference.version }) else {
            throw EnvelopeError(code: .keyVersionNotFound, message: "key \(reference.keyID) has no version \(reference.version)")
        }
        guard version.state == .enabled, let material = version.material else {
            throw EnvelopeError(code: version.state == .disabled ? .keyVersionDisabled : .keyDestroyed,
                                message: "key \(reference) is \(version.state.rawValue)")
        }
        let kek = try keys.openMaterial(material, keyID: reference.keyID, version: reference.version, algorithm: try Self.algorithm(key))
        unsealed[reference] = kek
        return kek
    }

    private func newVersion(_ version: UInt32, keyID: String, algorithm: EnvelopeAlgorithm) throws -> Keyring.Version {
        let material = try keys.sealMaterial(SymmetricKey(size: .bits256), keyID: keyID, version: version, algorithm: algorithm)
        return Keyring.Version(version: version, state: .enabled, createdAt: Int64(now().timeIntervalSince1970), material: material)
    }

    private func setState(_ state: KeyVersionState, version: UInt32, of keyID: String) throws -> KeyDescription {
        try modify(keyID) { keyring in
            try Self.update(&keyring, keyID) { key in
                guard let index = key.versions.firstIndex(where: { $0.version == version }) else {
                    throw EnvelopeError(code: .keyVersionNotFound, message: "key \(keyID) has no version \(version)")
                }
                guard state == .enabled || key.primary != version else {
                    throw EnvelopeError(code: .invalidParameter, message: "version \(version) is the primary version of \(keyID); rotate before disabling it")
                }
                key.versions[index].state = state
            }
        }
    }

    /// Read (fresh from disk), verify, change, write atomically.
    private func modify(_ keyID: String, _ change: (inout Keyring) throws -> Void) throws -> KeyDescription {
        try reload()
        var updated = keyring
        try change(&updated)
        updated.generation += 1
        try Self.write(updated, keys: keys, to: keyringPath)
        keyring = updated
        unsealed.removeAll()
        guard let description = keyring.descriptions.first(where: { $0.keyID == keyID }) else {
            throw EnvelopeError(code: .keyNotFound, message: "no key \(keyID) in the keyring")
        }
        return description
    }

    private static func update(_ keyring: inout Keyring, _ keyID: String, _ change: (inout Keyring.Key) throws -> Void) throws {
        _ = try keyring.key(keyID)
        guard let index = keyring.keys.firstIndex(where: { $0.id == keyID }) else { return }
        try change(&keyring.keys[index])
    }

    private static func algorithm(_ key: Keyring.Key) throws(EnvelopeError) -> EnvelopeAlgorithm {
        guard let algorithm = EnvelopeAlgorithm(name: key.algorithm) else {
            throw EnvelopeError(code: .unsupportedAlgorithm, message: "key \(key.id) uses unknown algorithm \(key.algorithm)")
        }
        return algorithm
    }

    private static func resolve(_ masterKey: MasterKey, salt: [UInt8], parameters: Argon2id.Parameters) throws -> SymmetricKey {
        let key: SymmetricKey
        switch masterKey {
        case .key(let given): key = given
        case .keyFile(let path): key = try readKeyFile(path)
        case .passphrase(let passphrase):
            guard passphrase.count > 0 else {
                throw EnvelopeError(code: .invalidParameter, message: "the keyring passphrase is empty")
            }
            do {
                key = try Argon2id.deriveKey(password: passphrase, salt: salt, outputByteCount: 32, parameters: parameters)
            } catch let error as CryptoError {
                throw EnvelopeError(code: .invalidParameter, message: "Argon2id: \(error.message)")
            }
        }
        guard key.byteCount == 32 else {
            throw EnvelopeError(code: .invalidParameter, message: "the master key must be 32 bytes, got \(key.byteCount)")
        }
        return key
    }

    private static func readKeyFile(_ path: String) throws -> SymmetricKey {
        let contents: SecureBytes
        do { contents = try SecretFile.read(path, maximumByteCount: 4096) } catch let error as CryptoError {
            throw EnvelopeError(code: .ioError, message: "cannot read the master key file: \(error.message)")
        }
        guard let key = SymmetricKey.fromKeyFile(contents) else {
            throw EnvelopeError(code: .invalidParameter, message: "\(path) does not hold a 32-byte master key (raw or base64)")
        }
        return key
    }

    private static func readText(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw EnvelopeError(code: .keyringUnavailable, message: "no readable keyring at \(path)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw EnvelopeError(code: .keyringUnavailable, message: "\(path) is not a keyring (not UTF-8)")
        }
        return text
    }

    private static func lines(_ text: String, path: String) throws -> (body: Substring, mac: Substring) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count == 3, lines[2].isEmpty, lines[1].hasPrefix("hmac-sha256:") else {
            throw EnvelopeError(code: .keyringUnavailable, message: "\(path) is not a keyring (expected a JSON line and an hmac-sha256 line)")
        }
        return (lines[0], lines[1].dropFirst("hmac-sha256:".count))
    }

    private static func decodeBody(_ text: String, path: String) throws -> Keyring {
        let body = try lines(text, path: path).body
        do {
            let keyring = try JSONDecoder().decode(Keyring.self, from: Data(body.utf8))
            guard keyring.format == Keyring.formatName else {
                throw EnvelopeError(code: .keyringUnavailable, message: "\(path) has format \(keyring.format), not \(Keyring.formatName)")
            }
            return keyring
        } catch let error as EnvelopeError {
            throw error
        } catch {
            throw EnvelopeError(code: .keyringUnavailable, message: "\(path) is not a keyring (its JSON does not decode)")
        }
    }

    private static func verify(_ text: String, keys: KeyringKeys, path: String) throws -> Keyring {
        let (body, mac) = try lines(text, path: path)
        guard let tag = Hex.decode(mac),
              try HMAC.isValidAuthenticationCode(tag, authenticating: Array(body.utf8), using: keys.mac, algorithm: .sha256)
        else {
            throw EnvelopeError(code: .keyringTampered, message: "\(path) fails its MAC: it was modified outside LocalKMS")
        }
        do {
            return try decodeBody(text, path: path)
        } catch let error as EnvelopeError {
            throw EnvelopeError(code: .keyringTampered, message: error.message)
        }
    }

    private static func write(_ keyring: Keyring, keys: KeyringKeys, to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = try encoder.encode(keyring)
        let mac = try HMAC.authenticationCode(for: Array(body), using: keys.mac, algorithm: .sha256)
        let text = String(decoding: body, as: UTF8.self) + "\nhmac-sha256:" + Hex.encode(mac.bytes) + "\n"
        do { try SecretFile.write(text, to: path) } catch let error as CryptoError {
            throw EnvelopeError(code: .ioError, message: "cannot write the keyring: \(error.message)")
        }
    }
}
