public import Foundation
public import ZeroTrustCrypto

/// How a ``ChainedLogWriter`` (and the ``AuditFileSink`` around it) chains, signs, syncs and
/// rotates.
public struct ChainedLogConfiguration: Sendable {
    /// Signs checkpoints. Keep it away from the log's host when you can: whoever holds it can
    /// rewrite history up to the next checkpoint a verifier has already seen.
    public var signingKey: Ed25519.PrivateKey
    /// Keys the chain (HMAC-SHA256). Without one the chain is plain SHA-256, and only the signed
    /// checkpoints stop an attacker from rewriting records and recomputing the hashes.
    public var hmacKey: SymmetricKey?
    /// A checkpoint is written after every this many records (and at close). Default 1,000. An
    /// ``AuditFileSink`` syncing in the background writes it with its next sync, which can be
    /// up to twice the ``FsyncPolicy/every(events:milliseconds:)`` events later.
    public var checkpointEvery: Int
    /// When records are forced to disk. Default ``FsyncPolicy/everyWrite``.
    public var fsync: FsyncPolicy
    /// Size-based rotation; nil (the default) never rotates.
    public var rotation: RotationPolicy?
    /// What to do with an incomplete final line left by a crash: `false` (the default) refuses to
    /// open the log (``AuditError/Code/tornTail``); `true` cuts the fragment off and records a
    /// ``LogRecoveryEvent`` naming its offset, length and digest as the next record.
    public var recoverTornTail: Bool
    /// Called with every checkpoint after it is on disk: forward it to a second place (a remote
    /// sink, a transparency log) so that rolling back the log *and* its checkpoint file together
    /// is detectable. Runs synchronously on the writer; keep it quick. (In an ``AuditFileSink``
    /// syncing in the background it runs on the sink's I/O queue after the checkpoint's sync; a
    /// rotation that overtakes that sync can deliver its own checkpoints first.)
    public var onCheckpoint: (@Sendable (Checkpoint) -> Void)?
    /// The wall clock for headers and checkpoints.
    public var clock: @Sendable () -> Date
    /// A monotonic clock in milliseconds, for the time-based part of ``FsyncPolicy/every(events:milliseconds:)``.
    public var monotonicMilliseconds: @Sendable () -> UInt64
    /// Waits the given milliseconds: ``AuditFileSink``'s sync timer for the time-based part of
    /// ``FsyncPolicy/every(events:milliseconds:)``. Must throw when its task is cancelled, as
    /// `Task.sleep` does (the default). Inject a sleeper the test wakes by hand.
    public var sleep: @Sendable (_ milliseconds: Int) async throws -> Void

    /// Creates a configuration.
    public init(signingKey: Ed25519.PrivateKey, hmacKey: SymmetricKey? = nil, checkpointEvery: Int = 1000,
                fsync: FsyncPolicy = .everyWrite, rotation: RotationPolicy? = nil, recoverTornTail: Bool = false,
                clock: @escaping @Sendable () -> Date = { Date() },
                monotonicMilliseconds: @escaping @Sendable () -> UInt64 = { DispatchTime.now().uptimeNanoseconds / 1_000_000 },
                sleep: @escaping @Sendable (_ milliseconds: Int) async throws -> Void = { try await Task.sleep(for: .milliseconds($0)) }) {
        self.signingKey = signingKey
        self.hmacKey = hmacKey
        self.checkpointEvery = checkpointEvery
        self.fsync = fsync
        self.rotation = rotation
        self.recoverTornTail = recoverTornTail
        self.clock = clock
        self.monotonicMilliseconds = monotonicMilliseconds
        self.sleep = sleep
        onCheckpoint = nil
    }
}
