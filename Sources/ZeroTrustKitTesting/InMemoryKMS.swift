public import Foundation
public import ZeroTrustCrypto
public import ZeroTrustEnvelope

/// A `KeyManagementService` held in memory, for test harnesses: keys that can be made
/// deterministic, failures and latency injectable per operation, and a log of every call with
/// its encryption context. Wrapped keys use the same format as `LocalKMS`.
///
/// ```swift
/// let kms = InMemoryKMS(seed: 7)                      // deterministic key-encryption keys
/// await kms.createKey("datasets")
/// await kms.failNext(.unwrap, with: EnvelopeError(code: .kmsUnavailable, message: "injected"))
/// let calls = await kms.calls                          // [Call(operation: .generateDataKey, …)]
/// ```
public actor InMemoryKMS: KeyManagementService {
    /// The operations that can fail, be delayed, and are logged.
    public enum Operation: String, Sendable, Hashable, CaseIterable {
        /// ``generateDataKey(keyID:context:)``.
        case generateDataKey
        /// ``wrap(_:keyID:context:)``.
        case wrap
        /// ``unwrap(_:context:)``.
        case unwrap
        /// ``describeKey(_:)``.
        case describeKey
    }

    /// One logged call.
    public struct Call: Sendable, Hashable {
        /// What was called.
        public let operation: Operation
        /// The key id asked for (for unwrap: the one inside the wrapped key).
        public let keyID: String
        /// The key version used, when one was resolved.
        public let version: UInt32?
        /// The encryption context passed (empty for ``describeKey(_:)``).
        public let context: EncryptionContext
        /// Whether the call succeeded.
        public let succeeded: Bool
    }

    private struct Key {
        var algorithm: EnvelopeAlgorithm
        var primary: UInt32
        var versions: [UInt32: (key: SymmetricKey, state: KeyVersionState, created: Date)]
        var destroyed = false
    }

    private let seed: UInt64?
    private let now: @Sendable () -> Date
    private let sleep: @Sendable (Duration) async throws -> Void
    private var keys: [String: Key] = [:]
    private var failures: [Operation: [any Error]] = [:]
    private var latencies: [Operation: Duration] = [:]
    private var dataKeyCounter: UInt64 = 0
    /// Every call, oldest first.
    public private(set) var calls: [Call] = []

    /// A KMS. With a `seed`, key-encryption keys and data keys are derived deterministically from
    /// it (HKDF), so two runs produce the same keys; without, they are random. `sleep` performs
    /// injected latency (replace it to avoid real waiting in tests); `now` stamps key versions.
    public init(seed: UInt64? = nil, now: @escaping @Sendable () -> Date = { Date() },
                sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }) {
        self.seed = seed
        self.now = now
        self.sleep = sleep
    }

    // MARK: Test controls

    /// Creates `keyID` with version 1; a no-op when it exists.
    public func createKey(_ keyID: String, algorithm: EnvelopeAlgorithm = .aes256GCM) {
        guard keys[keyID] == nil else { return }
        keys[keyID] = Key(algorithm: algorithm, primary: 1, versions: [1: (material(keyID, 1), .enabled, now())])
    }

    /// Adds a version to `keyID` and makes it primary; returns the new version.
    @discardableResult
    public func rotateKey(_ keyID: String) throws -> UInt32 {
        guard var key = keys[keyID], !key.destroyed else { throw missing(keyID) }
        let next = (key.versions.keys.max() ?? 0) + 1
        key.versions[next] = (material(keyID, next), .enabled, now())
        key.primary = next
        keys[keyID] = key
        return next
    }

    /// Sets the state of one version (`KeyVersionState.destroyed` forgets its material).
    public func setState(_ state: KeyVersionState, version: UInt32, of keyID: String) throws {
        guard var key = keys[keyID], let entry = key.versions[version] else { throw missing(keyID) }
        key.versions[version] = (entry.key, state, entry.created)
        keys[keyID] = key
    }

    /// Destroys every version of `keyID`.
    public func destroyKey(_ keyID: String) {
        keys[keyID]?.destroyed = true
    }

    /// Makes the next `count` calls of `operation` throw `error` (queued in order).
    public func failNext(_ operation: Operation, with error: any Error, count: Int = 1) {
        failures[operation, default: []] += Array(repeating: error, count: count)
    }

    /// Delays every call of `operation` by `latency` (through the injected `sleep`).
    public func setLatency(_ latency: Duration?, for operation: Operation) {
        latencies[operation] = latency
    }

    /// Empties the call log.
    public func clearCalls() { calls.removeAll() }

    // MARK: KeyManagementService

    /// A new data key wrapped under the primary version of `keyID`.
    public func generateDataKey(keyID: String, context: EncryptionContext) async throws -> DataKey {
        try await intercept(.generateDataKey, keyID: keyID, context: context) {
            let dataKey: SymmetricKey
            if let seed {
                dataKeyCounter += 1
                dataKey = try derive(seed: seed, label: "data key \(dataKeyCounter)")
            } else {
                dataKey = SymmetricKey(size: .bits256)
            }
            let wrapped = try wrapNow(dataKey, keyID: keyID, context: context)
            return (DataKey(key: dataKey, wrapped: wrapped), wrapped.reference.version)
        }
    }

    /// Wraps `key` under the primary version of `keyID`.
    public func wrap(_ key: SymmetricKey, keyID: String, context: EncryptionContext) async throws -> WrappedKey {
        try await intercept(.wrap, keyID: keyID, context: context) {
            let wrapped = try wrapNow(key, keyID: keyID, context: context)
            return (wrapped, wrapped.reference.version)
        }
    }

    /// Unwraps with the version named inside `wrapped`.
    public func unwrap(_ wrapped: WrappedKey, context: EncryptionContext) async throws -> SymmetricKey {
        let reference = wrapped.reference
        return try await intercept(.unwrap, keyID: reference.keyID, context: context) {
            let (kek, algorithm) = try usable(reference)
            return (try KeyWrapping.unwrap(wrapped, with: kek, algorithm: algorithm, context: context), reference.version)
        }
    }

    /// The metadata of `keyID`.
    public func describeKey(_ keyID: String) async throws -> KeyDescription {
        try await intercept(.describeKey, keyID: keyID, context: .empty) {
            guard let key = keys[keyID] else { throw missing(keyID) }
            let versions = key.versions.keys.sorted().compactMap { number in
                key.versions[number].map {
                    KeyVersionDescription(version: number, state: key.destroyed ? .destroyed : $0.state, createdAt: $0.created)
                }
            }
            return (KeyDescription(keyID: keyID, algorithm: key.algorithm.name, primaryVersion: key.primary, versions: versions), nil)
        }
    }

    // MARK: Internals

    private func intercept<T>(_ operation: Operation, keyID: String, context: EncryptionContext,
                              _ body: () throws -> (T, UInt32?)) async throws -> T {
        if let latency = latencies[operation] { try await sleep(latency) }
        if var queued = failures[operation], !queued.isEmpty {
            let error = queued.removeFirst()
            failures[operation] = queued
            calls.append(Call(operation: operation, keyID: keyID, version: nil, context: context, succeeded: false))
            throw error
        }
        do {
            let (value, version) = try body()
            calls.append(Call(operation: operation, keyID: keyID, version: version, context: context, succeeded: true))
            return value
        } catch {
            calls.append(Call(operation: operation, keyID: keyID, version: nil, context: context, succeeded: false))
            throw error
        }
    }

    private func wrapNow(_ key: SymmetricKey, keyID: String, context: EncryptionContext) throws -> WrappedKey {
        guard let entry = keys[keyID], !entry.destroyed else { throw missing(keyID) }
        let reference = KeyReference(keyID: keyID, version: entry.primary)
        let (kek, algorithm) = try usable(reference)
        return try KeyWrapping.wrap(key, under: kek, algorithm: algorithm, reference: reference, context: context)
    }

    private func usable(_ reference: KeyReference) throws -> (SymmetricKey, EnvelopeAlgorithm) {
        guard let key = keys[reference.keyID] else { throw missing(reference.keyID) }
        guard !key.destroyed else { throw EnvelopeError(code: .keyDestroyed, message: "key \(reference.keyID) was destroyed") }
        guard let version = key.versions[reference.version] else {
            throw EnvelopeError(code: .keyVersionNotFound, message: "key \(reference.keyID) has no version \(reference.version)")
        }
        switch version.state {
        case .enabled: return (version.key, key.algorithm)
        case .disabled: throw EnvelopeError(code: .keyVersionDisabled, message: "key \(reference) is disabled")
        case .destroyed: throw EnvelopeError(code: .keyDestroyed, message: "key \(reference) was destroyed")
        }
    }

    private func material(_ keyID: String, _ version: UInt32) -> SymmetricKey {
        guard let seed, let key = try? derive(seed: seed, label: "kek \(keyID)#\(version)") else { return SymmetricKey(size: .bits256) }
        return key
    }

    private func derive(seed: UInt64, label: String) throws -> SymmetricKey {
        try HKDF.deriveKey(inputKeyMaterial: SymmetricKey(data: withUnsafeBytes(of: seed.bigEndian) { Array($0) }),
                           salt: Array("InMemoryKMS".utf8), info: Array(label.utf8), outputByteCount: 32, algorithm: .sha256)
    }

    private func missing(_ keyID: String) -> EnvelopeError {
        EnvelopeError(code: .keyNotFound, message: "no key \(keyID) in the in-memory KMS")
    }
}
