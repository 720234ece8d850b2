import Foundation

/// The tamper-evident JSON-lines file sink: a ``ChainedLogWriter`` (hash chain, signed checkpoints,
/// fsync policy, rotation, mode 0600) behind a lock, so ``AuditLog`` can drive it from any task.
///
/// A write that will `fdatasync` or rotate (every write under ``FsyncPolicy/everyWrite``) runs on
/// a serial queue of the sink's own, on a thread outside Swift's cooperative pool, while the
/// calling task is suspended: a slow disk delays this sink's events, not every other task of the
/// process. A write that only buffers or hands bytes to the kernel runs in place: the hop to the
/// queue and back costs more than such a write (Documentation/AuditEvents.md). `flush()`,
/// `close()` and the sync timer always use the queue.
///
/// Under ``FsyncPolicy/every(events:milliseconds:)`` the syncs and checkpoints run on that queue
/// *beside* the writes: once `events` records are unsynced (or the time has passed, or a
/// checkpoint is due), the sink starts an `fdatasync` there and goes on appending, so a slow disk
/// no longer stops the appends. While that sync runs, up to `events` more records may be
/// appended: a write that would leave more than twice `events` records not yet known to be on
/// disk waits for the sync first (or, when none runs because the last one failed, syncs first
/// itself).
///
/// With ``FsyncPolicy/every(events:milliseconds:)`` the sink keeps a timer: records a write left
/// unsynced are flushed and synced at most `milliseconds` after that write even when no further
/// event arrives (the wait is ``ChainedLogConfiguration/sleep``, injectable). A failed background
/// sync (timer or count) is reported by the next ``write(_:)``, ``flush()`` or ``close()``.
/// ``close()`` stops the timer, waits
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
    /// A background sync is queued or running on `io` (set and cleared with `lock` held).
    private var backgroundSyncRunning = false
    /// The `events` of an ``FsyncPolicy/every(events:milliseconds:)`` policy, else nil.
    private let syncEvents: Int?
    /// A day: longer waits (such as `Int.max`, "no time limit") only matter as "eventually".
    private static let longestSyncDelay = 86_400_000

    /// Opens or continues the log at `path`.
    public init(path: String, configuration: ChainedLogConfiguration) throws {
        writer = try ChainedLogWriter(path: path, configuration: configuration)
        writer.syncsInBackground = true
        if case .every(let events, _) = configuration.fsync { syncEvents = events } else { syncEvents = nil }
        if case .every(_, let milliseconds) = configuration.fsync, milliseconds > 0 {
            syncDelay = min(milliseconds, Self.longestSyncDelay)
        } else {
            syncDelay = nil
        }
        sleep = configuration.sleep
    }

    /// Appends the batch with one write (and under ``FsyncPolicy/everyWrite`` one sync; under
    /// ``FsyncPolicy/every(events:milliseconds:)`` the syncs run beside the writes).
    public func write(_ events: [AuditEvent]) async throws {
        while true {
            // Decided and, in place, done under one hold of the lock, so concurrent callers
            // cannot both pass the check of the bound.
            let step: WriteStep = try lock.withLock {
                let overBound = exceedsSyncBound(adding: events.count)
                if overBound && backgroundSyncRunning { return .waitForBackgroundSync }
                if overBound || writer.appendMayBlock(eventCount: events.count) { return .appendOnQueue }
                try append(events)
                return .done
            }
            switch step {
            case .done:
                return
            case .waitForBackgroundSync:
                // The running background sync was queued before this: the queue is serial, so an
                // empty job returns once it has finished.
                try await io.run {}
            case .appendOnQueue:
                try await io.run { [self] in try lock.withLock { try append(events) } }
                return
            }
        }
    }

    private enum WriteStep { case done, waitForBackgroundSync, appendOnQueue }

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
        try await io.run { [self] in
            try lock.withLock {
                try writer.close()
                // A background sync that failed since the last write: the records it was to make
                // durable may be lost even though the closing sync succeeded.
                try reportBackgroundFailure()
            }
        }
    }

    /// The `n` of the last record written.
    public var recordCount: Int { lock.withLock { writer.recordCount } }

    /// Whether records are written but not yet synced (for tests of the timer).
    var hasUnsyncedRecords: Bool { lock.withLock { writer.hasUnsyncedRecords } }

    /// Waits until the background syncs queued so far have finished (for tests).
    func waitForBackgroundSyncs() async {
        _ = try? await io.run {}
    }

    /// Waits until the running sync timer, if any, has finished (for tests of the timer).
    func waitForSyncTimer() async {
        await lock.withLock { syncTimer }?.value
    }

    // MARK: - With `lock` held

    /// Appends (in place, or on `io` when it may block). When the batch would take the records
    /// not yet on disk beyond the bound and no background sync is running (the last one failed,
    /// or it is queued behind this job on `io`), syncs first, synchronously: a failing disk then
    /// fails the write instead of letting unsynced records grow.
    private func append(_ events: [AuditEvent]) throws {
        try reportBackgroundFailure()
        if exceedsSyncBound(adding: events.count) { try writer.sync() }
        try writer.append(contentsOf: events)
        startBackgroundSyncIfDue()
        // A background sync starts the timer itself when it leaves records unsynced.
        if !backgroundSyncRunning { startSyncTimer() }
    }

    /// On `io`: syncs and checkpoints while the writer goes on appending (the lock is held only
    /// to read what to sync and to record that it is synced), until no sync is due or one fails.
    private func runBackgroundSyncs() {
        var failed = false
        repeat {
            do {
                if let sync = try lock.withLock({ try writer.beginBackgroundSync() }) {
                    try sync.syncRecords()
                    try lock.withLock { try writer.finishBackgroundSync(sync) }?.sync()
                }
            } catch {
                lock.withLock { backgroundFailure = error }
                failed = true
            }
        } while lock.withLock({
            backgroundSyncRunning = false
            // After a failure the next write reports it and starts again: no retrying in a loop.
            if !failed { startBackgroundSyncIfDue(queueing: false) }
            if !backgroundSyncRunning { startSyncTimer() }
            return backgroundSyncRunning
        })
    }

    /// Starts a background sync when the writer has one due and none is running. `queueing`
    /// false: the caller is the running one and goes on itself.
    private func startBackgroundSyncIfDue(queueing: Bool = true) {
        guard !backgroundSyncRunning, !closing, writer.backgroundSyncDue else { return }
        backgroundSyncRunning = true
        // Queued with the lock held, so a write that sees `backgroundSyncRunning` and queues an
        // empty job to wait for it queues that job after this one.
        if queueing { io.submit { [self] in runBackgroundSyncs() } }
    }

    /// Whether appending `count` more records would leave more than twice the policy's `events`
    /// (and more than this batch) not yet known to be on disk.
    private func exceedsSyncBound(adding count: Int) -> Bool {
        guard let syncEvents, writer.unsyncedRecordCount > 0 else { return false }
        let bound = syncEvents > Int.max / 2 ? Int.max : 2 * max(1, syncEvents)
        return writer.unsyncedRecordCount > bound - min(count, bound)
    }

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
