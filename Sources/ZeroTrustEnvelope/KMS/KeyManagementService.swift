public import Foundation
public import ZeroTrustCrypto

/// A fresh data key: the plaintext to encrypt with, and the same key wrapped for storage.
public struct DataKey: Sendable {
    /// The plaintext key, 32 bytes. Use it, then let it go.
    public let key: SymmetricKey
    /// The wrapped form, stored beside the data.
    public let wrapped: WrappedKey

    /// Pairs a key with its wrapped form.
    public init(key: SymmetricKey, wrapped: WrappedKey) {
        self.key = key
        self.wrapped = wrapped
    }
}

/// The state of one key-encryption key version.
public enum KeyVersionState: String, Sendable, Hashable, Codable {
    /// Wraps (when primary) and unwraps.
    case enabled
    /// Neither wraps nor unwraps until enabled again.
    case disabled
    /// Destroyed: the key material is gone.
    case destroyed
}

/// One version of a key-encryption key, without its material.
public struct KeyVersionDescription: Sendable, Hashable, Codable {
    /// The version number, from 1.
    public let version: UInt32
    /// Enabled, disabled or destroyed.
    public let state: KeyVersionState
    /// When it was created.
    public let createdAt: Date

    /// A description.
    public init(version: UInt32, state: KeyVersionState, createdAt: Date) {
        self.version = version
        self.state = state
        self.createdAt = createdAt
    }
}

/// A key-encryption key's metadata: never its material.
public struct KeyDescription: Sendable, Hashable, Codable {
    /// The key id.
    public let keyID: String
    /// The algorithm its versions wrap with.
    public let algorithm: String
    /// The version new data keys are wrapped under.
    public let primaryVersion: UInt32
    /// Every version, oldest first.
    public let versions: [KeyVersionDescription]

    /// A description.
    public init(keyID: String, algorithm: String, primaryVersion: UInt32, versions: [KeyVersionDescription]) {
        self.keyID = keyID
        self.algorithm = algorithm
        self.primaryVersion = primaryVersion
        self.versions = versions
    }
}

/// A key management service: it holds key-encryption keys (KEKs) and wraps and unwraps data keys
/// under them, binding each wrap to an ``EncryptionContext``. Implementations: ``LocalKMS``
/// (a keyring directory) and, for tests, `InMemoryKMS` in the `ZeroTrustKitTesting` product;
/// adapters to cloud KMSs conform to the same protocol.
///
/// Unwrapping needs no key id: a ``WrappedKey`` names the KEK id and version that made it.
///
/// ```swift
/// let dataKey = try await kms.generateDataKey(keyID: "datasets", context: ["data_id": "ds-1"])
/// let again = try await kms.unwrap(dataKey.wrapped, context: ["data_id": "ds-1"])
/// ```
public protocol KeyManagementService: Sendable {
    /// A new random 256-bit data key, wrapped under the primary version of `keyID`.
    func generateDataKey(keyID: String, context: EncryptionContext) async throws -> DataKey
    /// Wraps `key` under the primary version of `keyID`, bound to `context`.
    func wrap(_ key: SymmetricKey, keyID: String, context: EncryptionContext) async throws -> WrappedKey
    /// Unwraps with the KEK version `wrapped` names. Fails with ``EnvelopeError/Code/unwrapFailed``
    /// when `context` differs from the one given at wrap time.
    func unwrap(_ wrapped: WrappedKey, context: EncryptionContext) async throws -> SymmetricKey
    /// The metadata of `keyID`, including its versions.
    func describeKey(_ keyID: String) async throws -> KeyDescription
}

extension KeyManagementService {
    /// Default: a random key, then ``wrap(_:keyID:context:)``.
    public func generateDataKey(keyID: String, context: EncryptionContext) async throws -> DataKey {
        let key = SymmetricKey(size: .bits256)
        return DataKey(key: key, wrapped: try await wrap(key, keyID: keyID, context: context))
    }

    /// Unwraps `wrapped` and wraps the key again under the current primary version of `keyID`
    /// (by default the key that wrapped it).
    public func rewrap(_ wrapped: WrappedKey, context: EncryptionContext, keyID: String? = nil) async throws -> WrappedKey {
        let key = try await unwrap(wrapped, context: context)
        return try await wrap(key, keyID: keyID ?? wrapped.reference.keyID, context: context)
    }
}
