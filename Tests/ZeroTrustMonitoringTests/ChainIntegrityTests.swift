import Foundation
import Testing
import ZeroTrustCrypto
@testable import ZeroTrustMonitoring

@Suite("Hash chain, checkpoints and verifier")
struct ChainIntegrityTests {
    let signer: Ed25519.PrivateKey
    let logKey = SymmetricKey(size: .bits256)

    init() throws { signer = try Ed25519.PrivateKey() }

    func configuration(keyed: Bool = true, every: Int = 4, recover: Bool = false) -> ChainedLogConfiguration {
        ChainedLogConfiguration(signingKey: signer, hmacKey: keyed ? logKey : nil, checkpointEvery: every,
                                recoverTornTail: recover, clock: SteppingClock().function)
    }

    /// Writes `count` events and closes; returns the log path.
    func makeLog(_ directory: TemporaryDirectory, count: Int = 10, keyed: Bool = true, every: Int = 4,
                 events: [AuditEvent]? = nil) throws -> String {
        let path = directory.path("audit.log")
        let writer = try ChainedLogWriter(path: path, configuration: configuration(keyed: keyed, every: every))
        for event in events ?? Samples.events(count) { try writer.append(event) }
        try writer.close()
        return path
    }

    func verifier(keyed: Bool = true, chunkSize: Int = LogLineReader.defaultChunkSize) -> AuditLogVerifier {
        AuditLogVerifier(publicKey: signer.publicKey, hmacKey: keyed ? logKey : nil, chunkSize: chunkSize)
    }

    func lines(_ path: String) throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    func write(_ lines: [String], to path: String) throws {
        try lines.joined(separator: "\n").write(toFile: path, atomically: false, encoding: .utf8)
    }

    /// Appends bytes without a final LF (a torn write); returns the size of the log before them.
    func appendUnterminated(_ bytes: Data, to path: String) throws -> Int {
        let intactSize = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: bytes)
        try handle.close()
        return intactSize
    }

    /// Expects `code` at `record`, and exactly the same error (message and byte offset included)
    /// when the files are read in chunks so small that every record straddles several of them.
    func expectFailure(_ path: String, keyed: Bool = true, _ code: AuditError.Code, record: Int?,
                       sourceLocation: SourceLocation = #_sourceLocation) {
        let reference = #expect(sourceLocation: sourceLocation) {
            _ = try verifier(keyed: keyed).verify(logAt: path)
        } throws: { error in
            guard let error = error as? AuditError else { return false }
            return error.code == code && error.record == record
        }
        guard let reference = reference as? AuditError else { return }
        for chunkSize in Self.tinyChunkSizes {
            #expect(throws: reference, "chunk size \(chunkSize)", sourceLocation: sourceLocation) {
                _ = try verifier(keyed: keyed, chunkSize: chunkSize).verify(logAt: path)
            }
        }
    }

    /// Smaller than a record (about 400 bytes) and the 75-byte hash suffix, and not dividing them.
    static let tinyChunkSizes = [1, 7, 64, 401]

    @Test("an untouched log verifies with counts, checkpoints and mode 0600")
    func intact() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let written = Samples.events(10)
        let path = try makeLog(directory, events: written)
        let result = try verifier().verify(logAt: path)
        #expect(result.records == 10)
        #expect(result.chain == "hmac-sha256")
        // At creation (0), after 4 and 8, and at close (10).
        #expect(result.checkpoints == 4)
        #expect(result.uncheckpointedRecords == 0)
        for file in [path, Checkpoint.path(forLog: path)] {
            let attributes = try FileManager.default.attributesOfItem(atPath: file)
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600, "\(file)")
        }
        let events = try ChainedLogReader.events(logAt: path)
        #expect(events == written)
    }

    @Test("every checkpoint is also handed to the mirror callback, and verifies there")
    func checkpointMirror() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let mirrored = CheckpointBox()
        var mirroring = configuration(every: 3)
        mirroring.onCheckpoint = { mirrored.append($0) }
        let writer = try ChainedLogWriter(path: directory.path("audit.log"), configuration: mirroring)
        for event in Samples.events(7) { try writer.append(event) }
        try writer.close()
        let result = try verifier().verify(logAt: directory.path("audit.log"))
        #expect(mirrored.values.map(\.recordCount) == [0, 3, 6, 7])
        #expect(mirrored.values.allSatisfy { $0.isValidSignature(publicKey: signer.publicKey) && $0.logID == result.logID })
        #expect(mirrored.values.last.map { Hex.encode($0.head) } == result.head)
    }

    @Test("a modified record is reported at its own position")
    func modification() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try makeLog(directory)
        var content = try lines(path)
        content[6] = content[6].replacingOccurrences(of: "\"decision\":\"permit\"", with: "\"decision\":\"deny\"")
        try write(content, to: path)
        expectFailure(path, .recordModified, record: 6)
    }

    @Test("a deleted record is reported where it is missing")
    func deletion() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try makeLog(directory)
        var content = try lines(path)
        content.remove(at: 5)
        try write(content, to: path)
        expectFailure(path, .chainBroken, record: 5)
    }

    @Test("an inserted (replayed) record is reported")
    func insertion() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try makeLog(directory)
        var content = try lines(path)
        content.insert(content[3], at: 4)
        try write(content, to: path)
        expectFailure(path, .chainBroken, record: 4)
    }

    @Test("a forged record is reported as modified even with a correct number and link")
    func forgedInsertion() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try makeLog(directory)
        var content = try lines(path)
        // A forger without the HMAC key hashes with SHA-256 (or anything else): the keyed hash fails.
        let body = String(content[7].prefix(content[7].utf8.count - ChainRecord.suffixByteCount)).replacingOccurrences(of: "alice", with: "eve")
        let fake = try SHA2.hash(Array(body.utf8), using: .sha256).hexString
        content[7] = body + #","hash":"\#(fake)"}"#
        try write(content, to: path)
        expectFailure(path, .recordModified, record: 7)
    }

    @Test("reordered records are reported")
    func reordering() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try makeLog(directory)
        var content = try lines(path)
        content.swapAt(2, 3)
        try write(content, to: path)
        expectFailure(path, .chainBroken, record: 2)
    }

    @Test("truncation before the last checkpoint is reported")
    func truncation() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try makeLog(directory)
        let content = try lines(path)
        try write(Array(content.prefix(8)) + [""], to: path)   // header + records 1…7
        expectFailure(path, .truncated, record: 8)
    }

    @Test("rewriting an unkeyed chain is caught by the signed checkpoint")
    func unkeyedRewrite() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try makeLog(directory, keyed: false)
        #expect(try verifier(keyed: false).verify(logAt: path).chain == "sha256")
        // Rewrite record 2 and recompute every hash after it: the chain is self-consistent again.
        var content = try lines(path)
        var previous = ""
        for index in 0..<(content.count - 1) {
            var body = String(content[index].prefix(content[index].utf8.count - ChainRecord.suffixByteCount))
            if index == 2 { body = body.replacingOccurrences(of: "alice", with: "eve") }
            if index > 0 {
                let prevStart = body.range(of: #""prev":""#)!.upperBound
                body.replaceSubrange(prevStart..<body.index(prevStart, offsetBy: 64), with: previous)
            }
            previous = try SHA2.hash(Array(body.utf8), using: .sha256).hexString
            content[index] = body + #","hash":"\#(previous)"}"#
        }
        try write(content, to: path)
        expectFailure(path, keyed: false, .checkpointMismatch, record: 4)
    }

    @Test("forged, foreign or deleted checkpoints are reported")
    func checkpoints() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try makeLog(directory)
        let checkpointPath = Checkpoint.path(forLog: path)
        let original = try String(contentsOfFile: checkpointPath, encoding: .utf8)

        // Signed by another key.
        let other = try AuditLogVerifier(publicKey: Ed25519.PrivateKey().publicKey, hmacKey: logKey)
        #expect { _ = try other.verify(logAt: path) } throws: { ($0 as? AuditError)?.code == .badCheckpointSignature }

        // A checkpoint line with a changed count.
        try original.replacingOccurrences(of: #""count":8"#, with: #""count":9"#).write(toFile: checkpointPath, atomically: false, encoding: .utf8)
        expectFailure(path, .badCheckpointSignature, record: 9)

        // No checkpoint file at all.
        try FileManager.default.removeItem(atPath: checkpointPath)
        expectFailure(path, .missingCheckpoint, record: 0)

        // Wrong HMAC key.
        try original.write(toFile: checkpointPath, atomically: false, encoding: .utf8)
        let wrongKey = AuditLogVerifier(publicKey: signer.publicKey, hmacKey: SymmetricKey(size: .bits256))
        #expect { _ = try wrongKey.verify(logAt: path) } throws: { ($0 as? AuditError)?.code == .keyMismatch }
        #expect(try verifier().verify(logAt: path).records == 10)
    }

    @Test("a torn final line is reported, refused on reopen, and recovered only on request")
    func tornTail() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try makeLog(directory)
        let intactSize = try appendUnterminated(Data(#"{"n":11,"prev":"ab"#.utf8), to: path)

        for chunkSize in [LogLineReader.defaultChunkSize] + Self.tinyChunkSizes {
            #expect {
                _ = try verifier(chunkSize: chunkSize).verify(logAt: path)
            } throws: { error in
                guard let error = error as? AuditError else { return false }
                return error.code == .tornTail && error.record == 11 && error.byteOffset == intactSize
                    && error.message.contains("incomplete (18 bytes)")
            }
            #expect(try ChainedLogReader(logAt: path, chunkSize: chunkSize).collect().count == 10, "the torn line is skipped")
        }
        #expect {
            _ = try ChainedLogWriter(path: path, configuration: configuration())
        } throws: { ($0 as? AuditError)?.code == .tornTail }

        let writer = try ChainedLogWriter(path: path, configuration: configuration(recover: true))
        try writer.append(AuditEvent(time: Samples.base, payload: Samples.access("carol")))
        try writer.close()
        let result = try verifier().verify(logAt: path)
        #expect(result.records == 12)
        let events = try ChainedLogReader.events(logAt: path)
        guard case .logRecovery(let recovery) = events[10].payload else { Issue.record("no recovery record"); return }
        #expect(recovery.byteOffset == intactSize)
        #expect(recovery.discardedBytes == 18)
        #expect(events[11].subject == "carol")
    }

    @Test("reopening continues the chain; a different key cannot continue it")
    func restart() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try makeLog(directory, count: 5)
        let before = try verifier().verify(logAt: path)
        let writer = try ChainedLogWriter(path: path, configuration: configuration())
        #expect(writer.recordCount == 5)
        #expect(writer.logID == before.logID)
        for event in Samples.events(3) { try writer.append(event) }
        try writer.close()
        let after = try verifier().verify(logAt: path)
        #expect(after.records == 8)
        #expect(after.logID == before.logID)

        var other = configuration()
        other.hmacKey = SymmetricKey(size: .bits256)
        #expect { _ = try ChainedLogWriter(path: path, configuration: other) } throws: { ($0 as? AuditError)?.code == .keyMismatch }
        #expect { _ = try ChainedLogWriter(path: path, configuration: configuration(keyed: false)) } throws: {
            ($0 as? AuditError)?.code == .keyMismatch
        }
    }

    @Test("an unknown format version is rejected with a clear error")
    func unknownVersion() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try makeLog(directory, keyed: false)
        var content = try lines(path)
        // Re-hash the header so only the version is wrong (unkeyed chain).
        var body = String(content[0].prefix(content[0].utf8.count - ChainRecord.suffixByteCount)).replacingOccurrences(of: #""v":1"#, with: #""v":2"#)
        body += #","hash":"\#(try SHA2.hash(Array(body.utf8), using: .sha256).hexString)"}"#
        content[0] = body
        try write(content, to: path)
        #expect {
            _ = try verifier(keyed: false).verify(logAt: path)
        } throws: { error in
            guard let error = error as? AuditError else { return false }
            return error.code == .malformedRecord && error.message.contains("version")
        }
    }

    @Test("records straddling read chunks verify, read back and report byte offsets exactly", arguments: [1, 7, 64, 401, 4096])
    func chunkBoundaries(chunkSize: Int) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let written = Samples.events(30)
        let path = try makeLog(directory, keyed: false, events: written)
        let whole = try verifier(keyed: false).verify(logAt: path)
        #expect(try verifier(keyed: false, chunkSize: chunkSize).verify(logAt: path) == whole)
        #expect(whole.records == 30 && whole.checkpoints == 9)
        #expect(try ChainedLogReader(logAt: path, chunkSize: chunkSize).collect() == written)
        let bytes = try #require(FileManager.default.contents(atPath: path))
        let checkpoints = try #require(FileManager.default.contents(atPath: Checkpoint.path(forLog: path)))
        #expect(try verifier(keyed: false, chunkSize: chunkSize).verify(log: [UInt8](bytes), checkpoints: [UInt8](checkpoints), name: path) == whole)

        // A modified record is reported at the byte where its line starts, whatever the chunking.
        var content = try lines(path)
        content[17] = content[17].replacingOccurrences(of: "\"action\":\"read\"", with: "\"action\":\"write\"")
        try write(content, to: path)
        let offset = content[..<17].reduce(0) { $0 + $1.utf8.count + 1 }
        #expect {
            _ = try verifier(keyed: false, chunkSize: chunkSize).verify(logAt: path)
        } throws: { error in
            guard let error = error as? AuditError else { return false }
            return error.code == .recordModified && error.record == 17 && error.byteOffset == offset
        }
    }

    @Test("a line longer than the reader's limit is refused, not buffered without bound")
    func overlongLine() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try makeLog(directory)
        let intactSize = try appendUnterminated(Data(repeating: UInt8(ascii: "x"), count: LogLineReader.maximumLineLength + 1), to: path)
        #expect {
            _ = try verifier(chunkSize: 1 << 20).verify(logAt: path)
        } throws: { error in
            guard let error = error as? AuditError else { return false }
            return error.code == .malformedRecord && error.byteOffset == intactSize
        }
    }

    @Test("rotation starts a new verifiable log linked to the previous head")
    func rotation() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("audit.log")
        var rotating = configuration(every: 1000)
        rotating.rotation = RotationPolicy(maximumBytes: 4096, keptFiles: 2)
        let writer = try ChainedLogWriter(path: path, configuration: rotating)
        for event in Samples.events(40) { try writer.append(event) }
        try writer.close()
        let current = try verifier().verify(logAt: path)
        let previous = try verifier().verify(logAt: path + ".1")
        let older = try verifier().verify(logAt: path + ".2")
        #expect(!FileManager.default.fileExists(atPath: path + ".3"))
        #expect(Set([current.logID, previous.logID, older.logID]).count == 3)
        #expect(previous.uncheckpointedRecords == 0)
        let header = try #require(try lines(path).first)
        #expect(header.contains(#""prev":"\#(previous.head)""#), "the new log links to the rotated log's head")
        for file in [path, path + ".1"] {
            let size = try FileManager.default.attributesOfItem(atPath: file)[.size] as? Int ?? 0
            #expect(size < 4096 + 600)
        }
    }
}

extension ChainedLogReader {
    /// Every event, read through a copy of this reader.
    func collect() throws -> [AuditEvent] {
        var reader = self
        var events: [AuditEvent] = []
        while let event = try reader.next() { events.append(event) }
        return events
    }
}

/// Collects mirrored checkpoints across the writer's callback.
final class CheckpointBox: @unchecked Sendable {
    // @unchecked: guarded by `lock`.
    private let lock = NSLock()
    private var stored: [Checkpoint] = []
    func append(_ checkpoint: Checkpoint) { lock.withLock { stored.append(checkpoint) } }
    var values: [Checkpoint] { lock.withLock { stored } }
}
