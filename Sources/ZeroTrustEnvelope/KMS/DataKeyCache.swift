public import Foundation
public import ZeroTrustCrypto

/// A bounded cache of data keys, so that bursts of small envelopes do not call the KMS for each
/// one: a writer re-uses a data key for up to ``Limits/maximumAge``, ``Limits/maximumMessages``
/// envelopes and ``Limits/maximumBytes`` plaintext bytes, whichever comes first; readers re-use
/// unwrapped keys for the same wrapped key and context for up to ``Limits/maximumAge``.
///
/// Re-using a data key is safe for the envelope format: every envelope derives its own payload
/// key from a fresh random salt. What the limits bound is exposure: how much data one leaked data
/// key would reveal, and how long a revoked or disabled KEK keeps working through the cache.
///
/// ```swift
/// let cache = DataKeyCache(limits: .init(maximumAge: .seconds(300), maximumMessages: 10_000))
/// let sealed = try await Envelope.seal(record, keyID: "events", context: context, kms: kms, cache: cache)
/// ```
public actor DataKeyCache {
    /// The bounds on re-use.
    public struct Limits: Sendable, Hashable {
        /// How long a key is re-used after it was obtained.
        public var maximumAge: Duration
        /// How many envelopes one data key may seal.
        public var maximumMessages: Int
        /// How many plaintext bytes one data key may seal.
        public var maximumBytes: UInt64
        /// How many distinct (key id, context) and (wrapped key, context) entries are kept.
        public var maximumEntries: Int

        /// Limits; all must be positive.
        public init(maximumAge: Duration = .seconds(300), maximumMessages: Int = 1 << 20, maximumBytes: UInt64 = 1 << 36,
                    maximumEntries: Int = 1024) {
            self.maximumAge = maximumAge
            self.maximumMessages = maximumMessages
            self.maximumBytes = maximumBytes
            self.maximumEntries = maximumEntries
        }
    }

    private struct WriterKey: Hashable {
        let keyID: String
        let context: EncryptionContext
    }

    private struct ReaderKey: Hashable {
        let wrapped: [UInt8]
        let context: EncryptionContext
    }

    private struct Entry<Value> {
        let value: Value
        let created: Date
        var messages: Int
        var bytes: UInt64
    }

    /// The limits.
    public let limits: Limits
    private let now: @Sendable () -> Date
    private var writers: [WriterKey: Entry<DataKey>] = [:]
    private var readers: [ReaderKey: Entry<SymmetricKey>] = [:]
    /// How many requests the cache answered without calling the KMS.
    public private(set) var hits = 0
    /// How many requests went to the KMS.
    public private(set) var misses = 0

    /// A cache with `limits`; `now` is injectable so that tests control time.
    public init(limits: Limits = Limits(), now: @escaping @Sendable () -> Date = { Date() }) throws {
        guard limits.maximumAge > .zero, limits.maximumMessages > 0, limits.maximumBytes > 0, limits.maximumEntries > 0 else {
            throw EnvelopeError(code: .invalidParameter, message: "data key cache limits must all be positive")
        }
        self.limits = limits
        self.now = now
    }

    /// A data key for sealing `byteCount` bytes under `keyID` and `context`: a cached one while it
    /// is within the limits, otherwise a new one from `kms`.
    public func dataKey(keyID: String, context: EncryptionContext, byteCount: Int,
                        kms: some KeyManagementService) async throws -> DataKey {
        let key = WriterKey(keyID: keyID, context: context)
        let time = now()
        if var entry = writers[key], isFresh(entry.created, at: time), entry.messages < limits.maximumMessages,
           entry.bytes + UInt64(byteCount) <= limits.maximumBytes {
            entry.messages += 1
            entry.bytes += UInt64(byteCount)
            writers[key] = entry
            hits += 1
            return entry.value
        }
        misses += 1
        let dataKey = try await kms.generateDataKey(keyID: keyID, context: context)
        guard UInt64(byteCount) <= limits.maximumBytes else { return dataKey }
        writers[key] = Entry(value: dataKey, created: time, messages: 1, bytes: UInt64(byteCount))
        evict(&writers)
        return dataKey
    }

    /// The plaintext of `wrapped`: cached while younger than ``Limits/maximumAge``, otherwise
    /// unwrapped by `kms`.
    public func unwrap(_ wrapped: WrappedKey, context: EncryptionContext, kms: some KeyManagementService) async throws -> SymmetricKey {
        let key = ReaderKey(wrapped: wrapped.bytes, context: context)
        let time = now()
        if let entry = readers[key], isFresh(entry.created, at: time) {
            hits += 1
            return entry.value
        }
        misses += 1
        let plaintext = try await kms.unwrap(wrapped, context: context)
        readers[key] = Entry(value: plaintext, created: time, messages: 0, bytes: 0)
        evict(&readers)
        return plaintext
    }

    /// Forgets every cached key (e.g. after a KEK was disabled).
    public func removeAll() {
        writers.removeAll()
        readers.removeAll()
    }

    private func isFresh(_ created: Date, at time: Date) -> Bool {
        let age = time.timeIntervalSince(created)
        let limit = Double(limits.maximumAge.components.seconds) + Double(limits.maximumAge.components.attoseconds) * 1e-18
        return age >= 0 && age < limit
    }

    /// Drops expired entries, then the oldest, until the entry limit holds.
    private func evict<K, V>(_ entries: inout [K: Entry<V>]) {
        guard entries.count > limits.maximumEntries else { return }
        let time = now()
        entries = entries.filter { isFresh($0.value.created, at: time) }
        while entries.count > limits.maximumEntries, let oldest = entries.min(by: { $0.value.created < $1.value.created }) {
            entries.removeValue(forKey: oldest.key)
        }
    }
}
