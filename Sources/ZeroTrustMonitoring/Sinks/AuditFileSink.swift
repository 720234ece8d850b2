import Foundation

/// The tamper-evident JSON-lines file sink: a ``ChainedLogWriter`` (hash chain, signed checkpoints,
/// fsync policy, rotation, mode 0600) behind a lock, so ``AuditLog`` can drive it from any task.
///
/// The file I/O is synchronous: ``write(_:)`` holds the lock through the `write(2)` and any
/// `fdatasync` the ``FsyncPolicy`` asks for, so it occupies one thread of Swift's cooperative pool
/// for that long (milliseconds per sync on slow disks). ``AuditLog`` calls it from one drain task per
/// destination, so at most one pool thread per file sink is blocked at a time; choose an fsync
/// policy that batches syncs when the pool is small.
///
/// ```swift
/// let sink = try AuditFileSink(path: "/var/log/zt/audit.log",
///                              configuration: .init(signingKey: signer, hmacKey: logKey, fsync: .everyWrite))
/// let log = AuditLog(destinations: [.init(name: "file", sink: sink, mode: .strict)])
/// ```
public final class AuditFileSink: AuditSink, @unchecked Sendable {
    // @unchecked: `writer` (a file descriptor and an HMAC context) is only touched while `lock` is
    // held, and the lock is never held across an `await`.
    private let lock = NSLock()
    private let writer: ChainedLogWriter

    /// Opens or continues the log at `path`.
    public init(path: String, configuration: ChainedLogConfiguration) throws {
        writer = try ChainedLogWriter(path: path, configuration: configuration)
    }

    /// Appends the batch with one write and at most one sync.
    public func write(_ events: [AuditEvent]) async throws {
        try lock.withLock { try writer.append(contentsOf: events) }
    }

    /// Syncs everything written.
    public func flush() async throws {
        try lock.withLock { try writer.sync() }
    }

    /// Syncs, writes the closing checkpoint and closes the file.
    public func close() async throws {
        try lock.withLock { try writer.close() }
    }

    /// The `n` of the last record written.
    public var recordCount: Int { lock.withLock { writer.recordCount } }
}
