public import Foundation
public import ZeroTrustCrypto
import Synchronization

/// A bounded cache of data keys, so that bursts of small envelopes do not call the KMS for each
/// one: a writer re-uses a data key for up to ``Limits/maximumAge``, ``Limits/maximumMessages``
/// envelopes and ``Limits/maximumBytes`` plaintext bytes, whichever comes first; readers re-use
/// unwrapped keys for the same wrapped key and context for up to ``Limits/maximumAge``.
///
/// Re-using a data key is safe for the envelope format: every envelope derives its own payload
/// key from a fresh random salt. What the limits bound is exposure: how much data one leaked data
/// key would reveal, and how long a revoked or disabled KEK keeps working through the cache.
///
/// The cache also keeps, per data key, a prepared ``EnvelopeSealer`` (the data key's HMAC context
/// and the header template), so a hit costs one short lock and the envelope's own work.
///
/// ```swift
/// let cache = try DataKeyCache(limits: .init(maximumAge: .seconds(300), maximumMessages: 10_000))
/// let sealed = try await Envelope.seal(record, keyID: "events", context: context, kms: kms, cache: cache)
/// ```
///
/// Thread-safe: the entries are behind a `Mutex`, held only to look up, count and insert; KMS
/// calls and key preparation run outside it. The async methods run on the caller's executor
/// (`nonisolated(nonsending)`), so a hit neither suspends nor hops to another thread.
public final class DataKeyCache: Sendable {
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

    /// A cached data key with what it has sealed so far and its prepared sealers (one per
    /// algorithm and segment size asked for; almost always one).
    fileprivate struct Writer {
        let dataKey: DataKey
        let created: Date
        var messages: Int
        var bytes: UInt64
        var sealers: [EnvelopeSealer]

        func sealer(algorithm: EnvelopeAlgorithm, segmentSize: Int) -> EnvelopeSealer? {
            sealers.first { $0.algorithm == algorithm && $0.segmentSize == segmentSize }
        }
    }

    fileprivate struct Reader {
        let key: SymmetricKey
        let created: Date
    }

    private struct State {
        var writers: [WriterKey: Writer] = [:]
        var readers: [ReaderKey: Reader] = [:]
        var hits = 0
        var misses = 0
    }

    /// At most this many prepared sealers per data key (distinct algorithm / segment size pairs).
    private static let sealersPerKey = 4

    /// The limits.
    public let limits: Limits
    private let now: @Sendable () -> Date
    /// ``Limits/maximumAge`` in seconds, converted once.
    private let maximumAgeSeconds: Double
    private let state = Mutex(State())

    /// How many requests the cache answered without calling the KMS.
    public var hits: Int { state.withLock { $0.hits } }
    /// How many requests went to the KMS.
    public var misses: Int { state.withLock { $0.misses } }

    /// A cache with `limits`; `now` is injectable so that tests control time.
    public init(limits: Limits = Limits(), now: @escaping @Sendable () -> Date = { Date() }) throws {
        guard limits.maximumAge > .zero, limits.maximumMessages > 0, limits.maximumBytes > 0, limits.maximumEntries > 0 else {
            throw EnvelopeError(code: .invalidParameter, message: "data key cache limits must all be positive")
        }
        self.limits = limits
        self.now = now
        maximumAgeSeconds = Double(limits.maximumAge.components.seconds) + Double(limits.maximumAge.components.attoseconds) * 1e-18
    }

    /// A data key for sealing `byteCount` bytes under `keyID` and `context`: a cached one while it
    /// is within the limits, otherwise a new one from `kms`.
    nonisolated(nonsending)
    public func dataKey(keyID: String, context: EncryptionContext, byteCount: Int,
                        kms: some KeyManagementService) async throws -> DataKey {
        try Self.validate(byteCount: byteCount)
        let key = WriterKey(keyID: keyID, context: context)
        if let hit = reserve(key, byteCount: byteCount, algorithm: nil, segmentSize: 0) { return hit.dataKey }
        return try await generate(key, byteCount: byteCount, kms: kms, algorithm: nil, segmentSize: 0).dataKey
    }

    /// A sealer for `byteCount` bytes under `keyID` and `context`, prepared for `algorithm` and
    /// `segmentSize`: the cached data key's while it is within the limits (the use is counted
    /// against them), otherwise one for a new data key from `kms`. What
    /// ``Envelope/seal(_:keyID:context:kms:cache:algorithm:segmentSize:)`` uses.
    nonisolated(nonsending)
    public func sealer(keyID: String, context: EncryptionContext, byteCount: Int, kms: some KeyManagementService,
                       algorithm: EnvelopeAlgorithm = .aes256GCM,
                       segmentSize: Int = EnvelopeHeader.defaultSegmentSize) async throws -> EnvelopeSealer {
        try Self.validate(byteCount: byteCount)
        let key = WriterKey(keyID: keyID, context: context)
        guard let hit = reserve(key, byteCount: byteCount, algorithm: algorithm, segmentSize: segmentSize) else {
            let (dataKey, sealer) = try await generate(key, byteCount: byteCount, kms: kms, algorithm: algorithm, segmentSize: segmentSize)
            return try sealer ?? EnvelopeSealer(dataKey: dataKey, context: context, algorithm: algorithm, segmentSize: segmentSize)
        }
        if let sealer = hit.sealer { return sealer }
        // A fresh data key without a sealer for these parameters: prepared outside the lock (a
        // concurrent caller may prepare its own; one is kept).
        let sealer = try EnvelopeSealer(dataKey: hit.dataKey, context: context, algorithm: algorithm, segmentSize: segmentSize)
        state.withLock { state in
            guard var writer = state.writers[key], writer.dataKey.wrapped == hit.dataKey.wrapped,
                  writer.sealers.count < Self.sealersPerKey,
                  writer.sealer(algorithm: algorithm, segmentSize: segmentSize) == nil else { return }
            writer.sealers.append(sealer)
            state.writers[key] = writer
        }
        return sealer
    }

    /// The plaintext of `wrapped`: cached while younger than ``Limits/maximumAge``, otherwise
    /// unwrapped by `kms`.
    nonisolated(nonsending)
    public func unwrap(_ wrapped: WrappedKey, context: EncryptionContext, kms: some KeyManagementService) async throws -> SymmetricKey {
        let key = ReaderKey(wrapped: wrapped.bytes, context: context)
        let time = now()
        let cached = state.withLock { state -> SymmetricKey? in
            if let reader = state.readers[key], isFresh(reader.created, at: time) {
                state.hits += 1
                return reader.key
            }
            state.misses += 1
            return nil
        }
        if let cached { return cached }
        let plaintext = try await kms.unwrap(wrapped, context: context)
        state.withLock { state in
            state.readers[key] = Reader(key: plaintext, created: time)
            evict(&state.readers, at: time)
        }
        return plaintext
    }

    /// Forgets every cached key (e.g. after a KEK was disabled).
    public func removeAll() {
        state.withLock { state in
            state.writers.removeAll()
            state.readers.removeAll()
        }
    }

    /// Under the lock: if `key`'s data key is fresh and has room for one more message of
    /// `byteCount` bytes, counts that use and returns it with its sealer for `algorithm` and
    /// `segmentSize`, if one is prepared; otherwise counts a miss and returns nil.
    private func reserve(_ key: WriterKey, byteCount: Int, algorithm: EnvelopeAlgorithm?,
                         segmentSize: Int) -> (dataKey: DataKey, sealer: EnvelopeSealer?)? {
        let time = now()
        return state.withLock { state in
            // `bytes` never exceeds the limit, so the subtraction cannot underflow (and the sum
            // `bytes + byteCount` is never formed, so it cannot overflow).
            guard var writer = state.writers[key], isFresh(writer.created, at: time), writer.messages < limits.maximumMessages,
                  UInt64(byteCount) <= limits.maximumBytes - writer.bytes else {
                state.misses += 1
                return nil
            }
            writer.messages += 1
            writer.bytes += UInt64(byteCount)
            state.writers[key] = writer
            state.hits += 1
            return (writer.dataKey, algorithm.flatMap { writer.sealer(algorithm: $0, segmentSize: segmentSize) })
        }
    }

    /// Gets a new data key from `kms` (with a sealer prepared for `algorithm` and `segmentSize`,
    /// when given) and caches it as used once for `byteCount` bytes, unless that alone exceeds
    /// the byte limit.
    nonisolated(nonsending)
    private func generate(_ key: WriterKey, byteCount: Int, kms: some KeyManagementService, algorithm: EnvelopeAlgorithm?,
                          segmentSize: Int) async throws -> (dataKey: DataKey, sealer: EnvelopeSealer?) {
        let time = now()
        let dataKey = try await kms.generateDataKey(keyID: key.keyID, context: key.context)
        let sealer = try algorithm.map {
            try EnvelopeSealer(dataKey: dataKey, context: key.context, algorithm: $0, segmentSize: segmentSize)
        }
        guard UInt64(byteCount) <= limits.maximumBytes else { return (dataKey, sealer) }
        state.withLock { state in
            state.writers[key] = Writer(dataKey: dataKey, created: time, messages: 1, bytes: UInt64(byteCount),
                                        sealers: sealer.map { [$0] } ?? [])
            evict(&state.writers, at: time)
        }
        return (dataKey, sealer)
    }

    private static func validate(byteCount: Int) throws(EnvelopeError) {
        guard byteCount >= 0 else {
            throw EnvelopeError(code: .invalidParameter, message: "byte count \(byteCount) is negative")
        }
    }

    private func isFresh(_ created: Date, at time: Date) -> Bool {
        let age = time.timeIntervalSince(created)
        return age >= 0 && age < maximumAgeSeconds
    }

    /// Drops expired entries, then the oldest, until the entry limit holds.
    private func evict<K, V: CacheEntry>(_ entries: inout [K: V], at time: Date) {
        guard entries.count > limits.maximumEntries else { return }
        entries = entries.filter { isFresh($0.value.created, at: time) }
        while entries.count > limits.maximumEntries, let oldest = entries.min(by: { $0.value.created < $1.value.created }) {
            entries.removeValue(forKey: oldest.key)
        }
    }
}

/// What eviction needs from a cache entry.
private protocol CacheEntry {
    var created: Date { get }
}

extension DataKeyCache.Writer: CacheEntry {}
extension DataKeyCache.Reader: CacheEntry {}
