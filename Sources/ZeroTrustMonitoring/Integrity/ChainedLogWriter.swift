public import Foundation
import ZeroTrustCrypto

/// Appends events to a tamper-evident JSON-lines log: each record carries the hash of the previous
/// one, and signed checkpoints go to `<log>.ckpt`. Synchronous; ``AuditFileSink`` wraps it for
/// ``AuditLog``. Not `Sendable` (it owns a file descriptor and an HMAC context): one owner.
///
/// Opening an existing log continues its chain (after checking the last record against the key).
/// A torn final line is refused, or cut off and recorded when
/// ``ChainedLogConfiguration/recoverTornTail`` is set.
///
/// ```swift
/// let writer = try ChainedLogWriter(path: "audit.log", configuration: .init(signingKey: key, hmacKey: logKey))
/// try writer.append(event)
/// try writer.close()          // flushes, syncs and writes the closing checkpoint
/// ```
public final class ChainedLogWriter {
    /// The log file.
    public let path: String
    /// The log's identifier, from its header.
    public private(set) var logID: UUID
    /// The `n` of the last record written (0: only the header).
    public private(set) var recordCount: Int
    /// The records written since the last checkpoint.
    public var uncheckpointedRecords: Int { recordCount - lastCheckpointCount }
    /// Whether records were written since the last sync (buffered or handed to the kernel).
    var hasUnsyncedRecords: Bool { unsyncedRecords > 0 }

    /// Whether appending `count` events is expected to sync, sign a checkpoint or rotate: the
    /// slow, blocking kind of write that ``AuditFileSink`` runs off the cooperative pool. A hint
    /// (rotation is estimated from a generous line length), never needed for correctness.
    func appendMayBlock(eventCount count: Int) -> Bool {
        let rotates = configuration.rotation.map { fileSize + buffer.count + count * 4096 >= $0.maximumBytes } ?? false
        if syncsInBackground { return rotates }
        let syncs: Bool = switch configuration.fsync {
        case .everyWrite: true
        case .never: false
        case .every(let events, let milliseconds):
            unsyncedRecords + count >= events
                || configuration.monotonicMilliseconds() &- lastSync >= UInt64(max(0, milliseconds))
        }
        return syncs || rotates || uncheckpointedRecords + count >= configuration.checkpointEvery
    }

    /// Whether the count and time syncs of an ``FsyncPolicy/every(events:milliseconds:)`` policy,
    /// and the checkpoints that follow them, are left to the owner, which runs them off the
    /// append path with ``beginBackgroundSync()`` and ``finishBackgroundSync(_:)`` (see
    /// ``AuditFileSink``). Appends then only buffer records (handing them to the kernel at
    /// 64 KiB); the background sync drains the rest. Off by default, and without effect under the
    /// other policies.
    var syncsInBackground: Bool {
        get { backgroundMode }
        set { if case .every = configuration.fsync { backgroundMode = newValue } }
    }
    private var backgroundMode = false

    /// Records written but not yet known to be synced.
    var unsyncedRecordCount: Int { unsyncedRecords }

    /// Whether a background sync should start: the policy's events are unsynced, its time has
    /// passed since the last sync, or a checkpoint is due.
    var backgroundSyncDue: Bool {
        guard backgroundMode, !closed, case .every(let events, let milliseconds) = configuration.fsync else { return false }
        // Only unsynced records make a count or time sync due: with `milliseconds: 0` or
        // `events: 0` a synced log would otherwise be due again at once, for ever.
        let syncDue = unsyncedRecords > 0 && (unsyncedRecords >= events
            || configuration.monotonicMilliseconds() &- lastSync >= UInt64(max(0, milliseconds)))
        return syncDue || uncheckpointedRecords >= configuration.checkpointEvery
    }

    /// What a background sync covers: the log's records up to `recordCount`, through a
    /// descriptor of its own (so a rotation that closes the log's meanwhile does not matter).
    struct BackgroundSync {
        fileprivate let log: FileDescriptor
        fileprivate let logID: UUID
        fileprivate let recordCount: Int
        fileprivate let head: [UInt8]
        fileprivate let unsyncedRecords: Int
        fileprivate let syncGeneration: Int

        /// `fdatasync`s the records; blocks, so it runs without the writer's owner's lock held.
        func syncRecords() throws { try log.sync() }
    }

    /// A checkpoint line written by ``finishBackgroundSync(_:)``, still to be synced (without the
    /// lock) and then reported to ``ChainedLogConfiguration/onCheckpoint``.
    struct PendingCheckpoint {
        fileprivate let file: FileDescriptor
        fileprivate let checkpoint: Checkpoint
        fileprivate let onCheckpoint: (@Sendable (Checkpoint) -> Void)?

        func sync() throws {
            try file.sync()
            onCheckpoint?(checkpoint)
        }
    }

    /// Hands buffered records to the kernel and describes what a background sync must make
    /// durable; nil when nothing is unsynced or uncheckpointed.
    func beginBackgroundSync() throws -> BackgroundSync? {
        try ensureOpen()
        guard unsyncedRecords > 0 || uncheckpointedRecords > 0 else { return nil }
        try drainBuffer()
        return BackgroundSync(log: try file.duplicate(), logID: logID, recordCount: recordCount, head: head,
                              unsyncedRecords: unsyncedRecords, syncGeneration: syncGeneration)
    }

    /// Records that `sync`'s records are durable, and writes the checkpoint for them when one is
    /// due (its line only: the caller syncs it, without the lock). Nothing changes when a
    /// rotation or a synchronous sync has happened since `sync` began.
    func finishBackgroundSync(_ sync: BackgroundSync) throws -> PendingCheckpoint? {
        guard !closed, sync.logID == logID, sync.syncGeneration == syncGeneration else { return nil }
        unsyncedRecords = max(0, unsyncedRecords - sync.unsyncedRecords)
        lastSync = configuration.monotonicMilliseconds()
        guard sync.recordCount - lastCheckpointCount >= configuration.checkpointEvery else { return nil }
        let checkpoint = try appendCheckpointLine(recordCount: sync.recordCount, head: sync.head)
        return PendingCheckpoint(file: try checkpointFile.duplicate(), checkpoint: checkpoint, onCheckpoint: configuration.onCheckpoint)
    }

    private let configuration: ChainedLogConfiguration
    private let hasher: ChainHasher
    private var file: FileDescriptor
    private var checkpointFile: FileDescriptor
    private var head: [UInt8]
    /// `head` in hex (updated with it by `setHead(_:)` and `appendLine`), so each record formats
    /// it once, as its hash, and reuses it as the next record's `prev`.
    private var headHex = [UInt8](repeating: 0x30, count: 2 * ChainHasher.hashByteCount)
    private var lastCheckpointCount: Int
    private var fileSize: Int
    /// Records not yet handed to the kernel. Events are encoded straight into it.
    private var buffer = JSONWriter(reservingCapacity: ChainedLogWriter.bufferLimit + 4096)
    private var unsyncedRecords = 0
    /// Advanced by every synchronous sync, so a background sync that began before one does not
    /// count its records again.
    private var syncGeneration = 0
    private var lastSync: UInt64
    private var closed = false
    private static let bufferLimit = 64 * 1024

    /// Opens (creating or continuing) the log at `path`.
    public init(path: String, configuration: ChainedLogConfiguration) throws {
        guard configuration.checkpointEvery > 0 else {
            throw AuditError(code: .invalidConfiguration, message: "checkpointEvery must be positive")
        }
        self.path = path
        self.configuration = configuration
        hasher = try ChainHasher(key: configuration.hmacKey)
        lastSync = configuration.monotonicMilliseconds()
        let existing = try ChainedLogTail(path: path)
        file = try FileDescriptor(appendingTo: path)
        checkpointFile = try FileDescriptor(appendingTo: Checkpoint.path(forLog: path))
        logID = UUID()
        recordCount = 0
        head = ChainRecord.zeroHash
        lastCheckpointCount = 0
        fileSize = existing?.size ?? 0
        if let existing {
            try resume(from: existing)
        } else {
            try startNewLog(previousHead: ChainRecord.zeroHash)
        }
    }

    deinit {
        // Best effort for a writer dropped without close(); errors have nowhere to go here.
        if !closed { try? close() }
    }

    /// Appends one event (buffered according to the fsync policy).
    public func append(_ event: AuditEvent) throws {
        try appendRecord(event)
        try finishWrite()
    }

    /// Appends events as one write: one system call and at most one sync for the whole batch.
    public func append(contentsOf events: some Sequence<AuditEvent>) throws {
        for event in events { try appendRecord(event) }
        try finishWrite()
    }

    /// Hands buffered records to the kernel and syncs them.
    public func sync() throws {
        try ensureOpen()
        try drainBuffer()
        try file.sync()
        unsyncedRecords = 0
        syncGeneration += 1
        lastSync = configuration.monotonicMilliseconds()
    }

    /// Syncs, then signs and appends a checkpoint for the current head.
    public func checkpoint() throws {
        try sync()
        try writeCheckpoint()
    }

    /// Syncs, writes the closing checkpoint (when records were added since the last one) and closes.
    public func close() throws {
        guard !closed else { return }
        if uncheckpointedRecords > 0 { try checkpoint() } else { try sync() }
        closed = true
        try file.closeNow()
        try checkpointFile.closeNow()
    }

    // MARK: - Records

    private func ensureOpen() throws {
        guard !closed else { throw AuditError(code: .closed, message: "the log \(path) is closed") }
    }

    private func appendRecord(_ event: AuditEvent) throws {
        try ensureOpen()
        try appendLine(number: recordCount + 1) { buffer in
            buffer.key("event")
            JSONLinesEncoder.write(event, into: &buffer)
        }
        recordCount += 1
        unsyncedRecords += 1
    }

    /// Writes `{"n":N,"prev":"…",<payload>,"hash":"…"}\n` into the buffer and advances the head.
    /// A line that cannot be hashed is taken out of the buffer again.
    private func appendLine(number: Int, payload: (inout JSONWriter) -> Void) throws {
        let start = buffer.count
        ChainRecord.writeBodyPrefix(number: number, previousHex: headHex, into: &buffer)
        payload(&buffer)
        do {
            try buffer.withBytes { all in
                try head.withUnsafeMutableBytes { output in
                    try hasher.hash(UnsafeRawBufferPointer(rebasing: all[start...]), into: output)
                }
            }
        } catch {
            buffer.removeBytes(from: start)
            throw error
        }
        ChainRecord.writeHex(head, into: &headHex)
        ChainRecord.writeSuffix(hashHex: headHex, into: &buffer)
    }

    private func setHead(_ hash: [UInt8]) {
        head = hash
        ChainRecord.writeHex(head, into: &headHex)
    }

    private func finishWrite() throws {
        switch configuration.fsync {
        case .everyWrite:
            try sync()
        case .never:
            try drainBuffer()
        case .every(let events, let milliseconds):
            if !backgroundMode && (unsyncedRecords >= events
                                   || configuration.monotonicMilliseconds() &- lastSync >= UInt64(max(0, milliseconds))) {
                try sync()
            } else if buffer.count >= Self.bufferLimit {
                try drainBuffer()
            }
        }
        if !backgroundMode && uncheckpointedRecords >= configuration.checkpointEvery {
            if configuration.fsync != .never { try sync() } else { try drainBuffer() }
            try writeCheckpoint()
        }
        if let rotation = configuration.rotation, fileSize + buffer.count >= rotation.maximumBytes {
            try rotate(rotation)
        }
    }

    private func drainBuffer() throws {
        guard !buffer.isEmpty else { return }
        try buffer.withBytes { try file.write($0) }
        fileSize += buffer.count
        buffer.reset()
    }

    private func writeCheckpoint() throws {
        let checkpoint = try appendCheckpointLine(recordCount: recordCount, head: head)
        try checkpointFile.sync()
        configuration.onCheckpoint?(checkpoint)
    }

    /// Signs a checkpoint for the records up to `recordCount` (whose last hash is `head`) and
    /// appends its line to the checkpoint file, not yet synced.
    private func appendCheckpointLine(recordCount: Int, head: [UInt8]) throws -> Checkpoint {
        let checkpoint = try Checkpoint.signed(logID: logID, recordCount: recordCount, head: head,
                                               time: configuration.clock(), key: configuration.signingKey)
        var line = checkpoint.line
        line.append(UInt8(ascii: "\n"))
        try line.withUnsafeBytes { try checkpointFile.write($0) }
        lastCheckpointCount = recordCount
        return checkpoint
    }

    // MARK: - Creating, resuming, rotating

    private func startNewLog(previousHead: [UInt8]) throws {
        logID = UUID()
        setHead(previousHead)
        recordCount = 0
        let created = configuration.clock()
        try appendLine(number: 0) { [logID, kind = hasher.kind] buffer in
            ChainRecord.writeHeaderPayload(logID: logID, kind: kind, created: created, into: &buffer)
        }
        try drainBuffer()
        try file.sync()
        FileDescriptor.syncDirectory(of: path)
        // A checkpoint over the header alone: deleting the checkpoint file is then always detectable.
        try writeCheckpoint()
    }

    private func resume(from tail: ChainedLogTail) throws {
        if let fragment = tail.fragment {
            guard configuration.recoverTornTail, tail.intactSize > 0 else {
                throw AuditError(code: .tornTail,
                                 message: "\(path) ends with an incomplete line at byte offset \(tail.intactSize) (\(fragment.count) bytes); a crash interrupted a write. Verify the log, then reopen with tail recovery to cut it off",
                                 byteOffset: tail.intactSize)
            }
        }
        guard let headerLine = tail.header, let header = ChainRecord.parse(headerLine[...]), header.number == 0,
              let log = header.object["log"] as? [String: Any], let id = (log["id"] as? String).flatMap(UUID.init(uuidString:))
        else {
            throw AuditError(code: .malformedRecord, message: "\(path) does not start with a zt-audit-log header", record: 0, byteOffset: 0)
        }
        guard log["v"] as? Int == ChainRecord.formatVersion else {
            throw AuditError(code: .malformedRecord, message: "\(path) has an unsupported log format version", record: 0, byteOffset: 0)
        }
        guard log["chain"] as? String == hasher.kind.rawValue else {
            throw AuditError(code: .keyMismatch,
                             message: "\(path) is chained with \(log["chain"] as? String ?? "?") but this writer uses \(hasher.kind.rawValue)",
                             record: 0)
        }
        guard let lastLine = tail.last, let last = ChainRecord.parse(lastLine[...]) else {
            throw AuditError(code: .malformedRecord, message: "the last record of \(path) is malformed", record: tail.lineCount - 1)
        }
        // The last record must hash correctly under our key, or we would extend a chain we cannot vouch for.
        guard try hasher.hash(last.body) == last.hash else {
            throw AuditError(code: .keyMismatch,
                             message: "the last record of \(path) does not verify under this key (wrong key, or the record was modified)",
                             record: last.number)
        }
        logID = id
        recordCount = last.number
        setHead(last.hash)
        lastCheckpointCount = try Self.lastCheckpointCount(path: Checkpoint.path(forLog: path), logID: id) ?? 0
        if let fragment = tail.fragment {
            try file.truncate(to: tail.intactSize)
            fileSize = tail.intactSize
            let digest = try SHA2.hash(fragment, using: .sha256)
            let recovery = LogRecoveryEvent(byteOffset: tail.intactSize, discardedBytes: fragment.count, discardedDigest: "sha256:" + digest.hexString)
            try appendRecord(AuditEvent(time: configuration.clock(), sequence: 0, payload: .logRecovery(recovery)))
            try sync()
        }
    }

    /// The count of the last checkpoint for `logID` in the checkpoint file, read a chunk at a time.
    private static func lastCheckpointCount(path: String, logID: UUID) throws -> Int? {
        guard var reader = try LogLineReader(path: path) else { return nil }
        var count: Int?
        while let line = try reader.next() {
            if let checkpoint = Checkpoint.parse(line.bytes), checkpoint.logID == logID { count = checkpoint.recordCount }
        }
        return count
    }

    private func rotate(_ rotation: RotationPolicy) throws {
        try checkpoint()
        let previousHead = head
        try file.closeNow()
        try checkpointFile.closeNow()
        let manager = FileManager.default
        let kept = max(1, rotation.keptFiles)
        for suffix in [".ckpt", ""] {
            try? manager.removeItem(atPath: "\(path).\(kept)\(suffix)")
            for index in stride(from: kept - 1, through: 1, by: -1) where manager.fileExists(atPath: "\(path).\(index)\(suffix)") {
                try renameFile("\(path).\(index)\(suffix)", "\(path).\(index + 1)\(suffix)")
            }
        }
        try renameFile(path, "\(path).1")
        try renameFile(Checkpoint.path(forLog: path), "\(path).1.ckpt")
        file = try FileDescriptor(appendingTo: path)
        checkpointFile = try FileDescriptor(appendingTo: Checkpoint.path(forLog: path))
        fileSize = 0
        lastCheckpointCount = 0
        try startNewLog(previousHead: previousHead)
    }

    private func renameFile(_ from: String, _ to: String) throws {
        guard rename(from, to) == 0 else { throw FileDescriptor.error("rename", from) }
    }
}
