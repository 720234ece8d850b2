import Foundation

/// The tamper-evident JSON-lines file sink: a ``ChainedLogWriter`` (hash chain, signed checkpoints,
/// fsync policy, rotation, mode 0600) behind a lock, so ``AuditLog`` can drive it from any task.
///
/// A write that will `fdatasync`, sign a checkpoint or rotate (every write under
/// ``FsyncPolicy/everyWrite``; every Nth under ``FsyncPolicy/every(events:milliseconds:)``) runs on
/// a serial queue of the sink's own, on a thread outside Swift's cooperative pool, while the
/// calling task is suspended: a slow disk delays this sink's events, not every other task of the
/// process. A write that only buffers or hands bytes to the kernel runs in place: the hop to the
/// queue and back costs more than such a write (Documentation/AuditEvents.md). `flush()`,
/// `close()` and the sync timer always use the queue.
///
/// With ``FsyncPolicy/every(events:milliseconds:)`` the sink keeps a timer: records a write left
/// unsynced are flushed and synced at most `milliseconds` after that write even when no further
/// event arrives (the wait is ``ChainedLogConfiguration/sleep``, injectable). A failed background
/// sync is reported by the next ``write(_:)`` or ``flush()``. ``close()`` stops the timer, waits
/// for it, and then does the final sync and checkpoint itself.
///
/// ```swift
/// let sink = try AuditFileSink(path: "/var/log/zt/audit.log",
///                              configuration: .init(signingKey: signer, hmacKey: logKey, fsync: .everyWrite))
/// let log = AuditLog(destinations: [.init(name: "file", sink: sink, mode: .strict)])
/// ```
public final class AuditFileSink: AuditSink, @unchecked Sendable {
    // @unchecked: `writer`, `syncTimer`, `backgroundFailure` and `closing` are only touched while
    // `lock` is held, and the lock is never held across an `await`.
    private let lock = NSLock()
    private let io = BlockingIOQueue(label: "zt.audit.file-sink")
    private let writer: ChainedLogWriter
    /// The time part of an `every` fsync policy, or nil when the policy needs no timer.
    private let syncDelay: Int?
    private let sleep: @Sendable (Int) async throws -> Void
    private var syncTimer: Task<Void, Never>?
    private var backgroundFailure: (any Error)?
    private var closing = false
    /// A day: longer waits (such as `Int.max`, "no time limit") only matter as "eventually".
    private static let longestSyncDelay = 86_400_000

    /// Opens or continues the log at `path`.
    public init(path: String, configuration: ChainedLogConfiguration) throws {
        writer = try ChainedLogWriter(path: path, configuration: configuration)
        if case .every(_, let milliseconds) = configuration.fsync, milliseconds > 0 {
            syncDelay = min(milliseconds, Self.longestSyncDelay)
        } else {
            syncDelay = nil
        }
        sleep = configuration.sleep
    }

    /// Appends the batch with one write and at most one sync.
    public func write(_ events: [AuditEvent]) async throws {
        let mayBlock = lock.withLock { writer.appendMayBlock(eventCount: events.count) }
        if mayBlock {
            try await io.run { [self] in try append(events) }
        } else {
            try append(events)
        }
    }

    /// Syncs everything written.
    public func flush() async throws {
        try await io.run { [self] in
            try lock.withLock {
                try reportBackgroundFailure()
                try writer.sync()
            }
        }
    }

    /// Stops the sync timer, then syncs, writes the closing checkpoint and closes the file.
    public func close() async throws {
        let timer = lock.withLock { () -> Task<Void, Never>? in
            closing = true
            defer { syncTimer = nil }
            syncTimer?.cancel()
            return syncTimer
        }
        // No task outlives the sink: the timer has finished (cancelled, or found `closing`) here.
        await timer?.value
        try await io.run { [self] in try lock.withLock { try writer.close() } }
    }

    /// The `n` of the last record written.
    public var recordCount: Int { lock.withLock { writer.recordCount } }

    /// Whether records are written but not yet synced (for tests of the timer).
    var hasUnsyncedRecords: Bool { lock.withLock { writer.hasUnsyncedRecords } }

    /// Waits until the running sync timer, if any, has finished (for tests of the timer).
    func waitForSyncTimer() async {
        await lock.withLock { syncTimer }?.value
    }

    private func append(_ events: [AuditEvent]) throws {
        try lock.withLock {
            try reportBackgroundFailure()
            try writer.append(contentsOf: events)
            startSyncTimer()
        }
    }

    // MARK: - With `lock` held

    private func reportBackgroundFailure() throws {
        guard let failure = backgroundFailure else { return }
        backgroundFailure = nil
        throw AuditError(code: .io, message: "a background sync of \(writer.path) failed: \(failure)")
    }

    /// Starts the timer after a write that left records unsynced, unless one is already running
    /// (it will sync these records too, within its delay of the first of them).
    private func startSyncTimer() {
        guard let syncDelay, syncTimer == nil, !closing, writer.hasUnsyncedRecords else { return }
        let sleep = self.sleep
        syncTimer = Task { [weak self] in
            do { try await sleep(syncDelay) } catch { return }
            await self?.syncTimerFired()
        }
    }

    private func syncTimerFired() async {
        _ = try? await io.run { [self] in
            lock.withLock {
                syncTimer = nil
                guard !closing, writer.hasUnsyncedRecords else { return }
                do { try writer.sync() } catch { backgroundFailure = error }
            }
        }
    }
}
