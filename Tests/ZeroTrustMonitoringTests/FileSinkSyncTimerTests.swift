import Foundation
import Testing
import ZeroTrustCrypto
@testable import ZeroTrustMonitoring

@Suite("The file sink's sync timer for fsync every N events or T ms", .timeLimit(.minutes(1)))
struct FileSinkSyncTimerTests {
    let signer: Ed25519.PrivateKey

    init() throws { signer = try Ed25519.PrivateKey() }

    /// The writer's own clock is frozen, so only the timer can sync by time.
    func configuration(_ fsync: FsyncPolicy, sleeper: ManualSleeper) -> ChainedLogConfiguration {
        ChainedLogConfiguration(signingKey: signer, checkpointEvery: 1000, fsync: fsync, clock: SteppingClock().function,
                                monotonicMilliseconds: { 0 }, sleep: sleeper.function)
    }

    func size(_ path: String) throws -> Int {
        try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? -1
    }

    @Test("a quiet log is synced by the timer after T ms; close stops the timer and still flushes")
    func quietLogIsSynced() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("audit.log")
        let sleeper = ManualSleeper()
        let sink = try AuditFileSink(path: path, configuration: configuration(.every(events: 100, milliseconds: 250), sleeper: sleeper))
        let headerOnly = try size(path)
        #expect(sleeper.requested.isEmpty, "nothing unsynced, no timer")
        let events = Samples.events(3)

        try await sink.write([events[0]])
        #expect(try size(path) == headerOnly, "the record is still buffered")
        #expect(sink.hasUnsyncedRecords)
        await sleeper.waitUntilRequested(1)
        #expect(sleeper.requested == [250])
        try await sink.write([events[1]])
        #expect(sleeper.requested == [250], "one timer covers every record written while it runs")

        sleeper.wakeAll()
        await sink.waitForSyncTimer()
        #expect(!sink.hasUnsyncedRecords)
        #expect(try ChainedLogReader.events(logAt: path) == Array(events[..<2]))

        // The next write starts a new timer; close cancels it, waits for it, and does the final sync.
        try await sink.write([events[2]])
        await sleeper.waitUntilRequested(2)
        try await sink.close()
        #expect(sleeper.pending == 0)
        #expect(sleeper.cancellations == 1)
        let result = try AuditLogVerifier(publicKey: signer.publicKey).verify(logAt: path)
        #expect(result.records == 3)
        #expect(result.uncheckpointedRecords == 0)
    }

    @Test("the event count still syncs without the timer, and policies without a time part start none")
    func noTimerWhenNothingIsLeft() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        for (index, fsync) in [FsyncPolicy.every(events: 2, milliseconds: 250), .everyWrite, .never].enumerated() {
            let path = directory.path("audit\(index).log")
            let sleeper = ManualSleeper()
            let sink = try AuditFileSink(path: path, configuration: configuration(fsync, sleeper: sleeper))
            try await sink.write(Samples.events(2))
            await sink.waitForBackgroundSyncs()   // `every`: the count's sync runs beside the writes
            #expect(!sink.hasUnsyncedRecords || fsync == .never, "\(fsync)")
            #expect(sleeper.requested.isEmpty, "\(fsync)")
            try await sink.close()
            #expect(try ChainedLogReader.events(logAt: path).count == 2)
        }
    }

    @Test("writes that will sync, checkpoint or rotate are the ones sent off the cooperative pool")
    func blockingWritesAreRecognised() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let sleeper = ManualSleeper()
        let every = try ChainedLogWriter(path: directory.path("every.log"), configuration: configuration(.every(events: 3, milliseconds: 250), sleeper: sleeper))
        #expect(!every.appendMayBlock(eventCount: 2))
        #expect(every.appendMayBlock(eventCount: 3))
        try every.append(contentsOf: Samples.events(2))
        #expect(every.appendMayBlock(eventCount: 1), "the third unsynced record syncs")
        try every.close()

        #expect(try ChainedLogWriter(path: directory.path("each.log"), configuration: configuration(.everyWrite, sleeper: sleeper))
            .appendMayBlock(eventCount: 1))
        var checkpointing = configuration(.never, sleeper: sleeper)
        checkpointing.checkpointEvery = 5
        let never = try ChainedLogWriter(path: directory.path("never.log"), configuration: checkpointing)
        #expect(!never.appendMayBlock(eventCount: 4))
        #expect(never.appendMayBlock(eventCount: 5), "a checkpoint is signed and synced")
        var rotating = configuration(.never, sleeper: sleeper)
        rotating.rotation = RotationPolicy(maximumBytes: 8192, keptFiles: 1)
        #expect(try ChainedLogWriter(path: directory.path("rotating.log"), configuration: rotating).appendMayBlock(eventCount: 2))
    }
}
