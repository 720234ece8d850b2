import Foundation
import Testing
import ZeroTrustCrypto
@testable import ZeroTrustMonitoring

/// Under `fsync: .every(events:milliseconds:)` the file sink syncs and checkpoints on its I/O
/// queue while appends go on; the writer keeps the books so that the policy's bound, the
/// checkpoints and the unsynced count stay right whatever runs in between.
@Suite("The file sink's background syncs", .timeLimit(.minutes(1)))
struct FileSinkBackgroundSyncTests {
    let signer: Ed25519.PrivateKey

    init() throws { signer = try Ed25519.PrivateKey() }

    func configuration(events: Int, checkpointEvery: Int, rotation: RotationPolicy? = nil) -> ChainedLogConfiguration {
        ChainedLogConfiguration(signingKey: signer, checkpointEvery: checkpointEvery, fsync: .every(events: events, milliseconds: Int.max),
                                rotation: rotation, clock: SteppingClock().function, monotonicMilliseconds: { 0 })
    }

    /// A writer that leaves its count syncs and checkpoints to the test, as `AuditFileSink` runs them.
    func backgroundWriter(_ path: String, events: Int, checkpointEvery: Int, rotation: RotationPolicy? = nil) throws -> ChainedLogWriter {
        let writer = try ChainedLogWriter(path: path, configuration: configuration(events: events, checkpointEvery: checkpointEvery, rotation: rotation))
        writer.syncsInBackground = true
        return writer
    }

    func checkpointCounts(_ path: String) throws -> [Int] {
        try String(contentsOfFile: Checkpoint.path(forLog: path), encoding: .utf8).split(separator: "\n")
            .compactMap { Checkpoint.parse(Array($0.utf8))?.recordCount }
    }

    @Test("a sink's count syncs and checkpoints run beside its writes, and the log verifies")
    func sinkSyncsInTheBackground() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("audit.log")
        let sink = try AuditFileSink(path: path, configuration: configuration(events: 10, checkpointEvery: 20))
        let events = Samples.events(100)
        for start in stride(from: 0, to: 100, by: 5) {
            try await sink.write(Array(events[start..<(start + 5)]))
        }
        await sink.waitForBackgroundSyncs()
        #expect(!sink.hasUnsyncedRecords)
        // Checkpoints come every 20 records or a little later: a checkpoint that falls due while a
        // sync runs waits for the next one, which covers the (at most 2 × 10) records appended
        // meanwhile, plus the batch that crossed the line.
        let counts = try checkpointCounts(path)
        #expect(counts.first == 0, "the header's checkpoint")
        #expect(zip(counts, counts.dropFirst()).allSatisfy { (20...(20 + 2 * 10 + 5)).contains($1 - $0) }, "\(counts)")
        #expect(try #require(counts.last) > 100 - 20, "\(counts)")
        try await sink.close()
        #expect(try checkpointCounts(path).last == 100, "the closing checkpoint")
        let result = try AuditLogVerifier(publicKey: signer.publicKey).verify(logAt: path)
        #expect(result.records == 100)
        #expect(result.uncheckpointedRecords == 0)
        #expect(try ChainedLogReader.events(logAt: path) == events)
    }

    @Test("policies at the edges: no endless syncing, no overflow; flush and close still finish")
    func edgePolicies() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        // Rare checkpoints keep a log "uncheckpointed" for long: a synced log must still not be due.
        let policies: [(FsyncPolicy, checkpointEvery: Int)] = [
            (.every(events: 100, milliseconds: 0), 1000), (.every(events: 0, milliseconds: 250), 1000),
            (.every(events: 1, milliseconds: Int.max), 3), (.every(events: Int.max, milliseconds: Int.max), 3),
        ]
        for (index, (fsync, checkpointEvery)) in policies.enumerated() {
            let path = directory.path("edge\(index).log")
            let sink = try AuditFileSink(path: path, configuration: ChainedLogConfiguration(
                signingKey: signer, checkpointEvery: checkpointEvery, fsync: fsync, clock: SteppingClock().function))
            for start in stride(from: 0, to: 40, by: 4) { try await sink.write(Samples.events(4, clock: SteppingClock(start: Date(timeIntervalSince1970: 1_790_000_000 + Double(start))))) }
            try await sink.flush()
            #expect(!sink.hasUnsyncedRecords, "\(fsync)")
            try await sink.close()
            let result = try AuditLogVerifier(publicKey: signer.publicKey).verify(logAt: path)
            #expect(result.records == 40 && result.uncheckpointedRecords == 0, "\(fsync)")
        }
    }

    @Test("appends go on while a background sync runs; it counts only the records it covered")
    func writerBooksDuringASync() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("audit.log")
        let writer = try backgroundWriter(path, events: 10, checkpointEvery: 10)
        try writer.append(contentsOf: Samples.events(9))
        #expect(!writer.backgroundSyncDue)
        try writer.append(contentsOf: Samples.events(1))
        #expect(writer.backgroundSyncDue)
        #expect(writer.unsyncedRecordCount == 10, "the append itself did not sync")

        let sync = try #require(try writer.beginBackgroundSync())
        try writer.append(contentsOf: Samples.events(4))   // while the sync runs
        try sync.syncRecords()
        let pending = try #require(try writer.finishBackgroundSync(sync), "10 records since the last checkpoint")
        try pending.sync()
        #expect(writer.unsyncedRecordCount == 4, "the four appended meanwhile are still unsynced")
        #expect(try checkpointCounts(path) == [0, 10], "the checkpoint covers what the sync covered, not more")
        #expect(!writer.backgroundSyncDue)
        try writer.close()
        #expect(try AuditLogVerifier(publicKey: signer.publicKey).verify(logAt: path).records == 14)
    }

    @Test("a synchronous sync or a rotation during a background sync: nothing counted twice, no checkpoint for another log")
    func interleavedSyncAndRotation() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("audit.log")
        let writer = try backgroundWriter(path, events: 4, checkpointEvery: 4)
        try writer.append(contentsOf: Samples.events(4))
        let first = try #require(try writer.beginBackgroundSync())
        try writer.sync()                                   // flush() or the timer
        try writer.append(contentsOf: Samples.events(2))
        try first.syncRecords()
        #expect(try writer.finishBackgroundSync(first) == nil, "a sync since then already covered it")
        #expect(writer.unsyncedRecordCount == 2, "the two later records stay unsynced")
        try writer.close()

        let rotatingPath = directory.path("rotating.log")
        let rotating = try backgroundWriter(rotatingPath, events: 4, checkpointEvery: 4,
                                            rotation: RotationPolicy(maximumBytes: 4096, keptFiles: 2))
        try rotating.append(contentsOf: Samples.events(4))
        let beforeRotation = try #require(try rotating.beginBackgroundSync())
        try rotating.append(contentsOf: Samples.events(12))  // past 4 KiB: the log rotates
        #expect(FileManager.default.fileExists(atPath: rotatingPath + ".1"))
        try beforeRotation.syncRecords()                      // its own descriptor: still valid
        #expect(try rotating.finishBackgroundSync(beforeRotation) == nil)
        #expect(try checkpointCounts(rotatingPath).allSatisfy { $0 != 4 }, "no checkpoint of the old log in the new one")
        try rotating.close()
        #expect(try AuditLogVerifier(publicKey: signer.publicKey).verify(logAt: rotatingPath).uncheckpointedRecords == 0)
    }
}
