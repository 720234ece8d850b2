import Foundation
public import ZeroTrustCrypto

/// Checks a chained log and its checkpoint file, and reports the first bad record and why.
///
/// Detected: a modified record (its hash no longer matches: ``AuditError/Code/recordModified``,
/// exact with a keyed chain), a deleted, inserted, duplicated or reordered record (its number or
/// previous-hash link breaks: ``AuditError/Code/chainBroken``), a rewritten unkeyed chain or a
/// forged checkpoint (``AuditError/Code/checkpointMismatch``, ``AuditError/Code/badCheckpointSignature``),
/// truncation before the last checkpoint (``AuditError/Code/truncated``) and an incomplete final
/// line (``AuditError/Code/tornTail``, raised only after everything before it verified, so
/// `record - 1` records are intact).
///
/// The log and the checkpoint file are read in fixed-size chunks and checked in step, so memory
/// stays at one chunk plus the longest line, whatever the size of the log.
///
/// ```swift
/// let verifier = AuditLogVerifier(publicKey: signingKey.publicKey, hmacKey: logKey)
/// let result = try verifier.verify(logAt: "audit.log")
/// print(result.records, "records intact")
/// ```
public struct AuditLogVerifier: Sendable {
    private let publicKey: Ed25519.PublicKey
    private let hmacKey: SymmetricKey?
    /// Bytes per read; tests make it tiny so that records straddle chunk boundaries.
    let chunkSize: Int

    /// A verifier for logs checkpointed by `publicKey`'s private key and chained under `hmacKey`
    /// (nil for an unkeyed SHA-256 chain).
    public init(publicKey: Ed25519.PublicKey, hmacKey: SymmetricKey? = nil) {
        self.init(publicKey: publicKey, hmacKey: hmacKey, chunkSize: LogLineReader.defaultChunkSize)
    }

    init(publicKey: Ed25519.PublicKey, hmacKey: SymmetricKey?, chunkSize: Int) {
        self.publicKey = publicKey
        self.hmacKey = hmacKey
        self.chunkSize = chunkSize
    }

    /// Verifies the log at `path` against its checkpoint file `<path>.ckpt`.
    public func verify(logAt path: String) throws -> AuditLogVerification {
        guard var log = try LogLineReader(path: path, chunkSize: chunkSize) else {
            throw AuditError(code: .io, message: "cannot read \(path): no such file")
        }
        let checkpoints = try LogLineReader(path: Checkpoint.path(forLog: path), chunkSize: chunkSize)
        return try verify(log: &log, checkpoints: checkpoints, name: path)
    }

    /// Verifies log and checkpoint-file bytes (`checkpoints` nil when the file is missing).
    public func verify(log bytes: [UInt8], checkpoints checkpointBytes: [UInt8]?, name: String = "log") throws -> AuditLogVerification {
        var log = LogLineReader(bytes: bytes, chunkSize: chunkSize, name: name)
        let checkpoints = checkpointBytes.map { LogLineReader(bytes: $0, chunkSize: chunkSize, name: Checkpoint.path(forLog: name)) }
        return try verify(log: &log, checkpoints: checkpoints, name: name)
    }

    private func verify(log: inout LogLineReader, checkpoints: LogLineReader?, name: String) throws -> AuditLogVerification {
        let hasher = try ChainHasher(key: hmacKey)
        var checker = CheckpointChecker(reader: checkpoints, publicKey: publicKey, logName: name)
        var torn: LogLineReader.Line?
        var logID: UUID?
        var count = 0
        var previous = ChainRecord.zeroHash
        while let line = try log.next() {
            guard line.isTerminated else {
                torn = line
                break
            }
            let expected = count
            let offset = line.offset
            guard let record = ChainRecord.parse(line.bytes) else {
                throw AuditError(code: .malformedRecord, message: "\(name): record \(expected) at byte offset \(offset) is not a chained record",
                                 record: expected, byteOffset: offset)
            }
            if expected == 0 {
                logID = try Self.header(record, hasher: hasher, name: name)
            } else {
                guard record.object["event"] is [String: Any], record.object.count == 4 else {
                    throw AuditError(code: .malformedRecord, message: "\(name): record \(expected) at byte offset \(offset) carries no event",
                                     record: expected, byteOffset: offset)
                }
            }
            // Hash first: with a keyed chain a forged or edited line fails here, at its own position.
            guard try hasher.hash(record.body) == record.hash else {
                let why = expected == 0 && hasher.kind == .hmacSHA256
                    ? "the header does not verify under this HMAC key (wrong key, or modified)"
                    : "record \(expected) at byte offset \(offset) was modified: its hash does not match its content"
                throw AuditError(code: expected == 0 && hasher.kind == .hmacSHA256 ? .keyMismatch : .recordModified,
                                 message: "\(name): \(why)", record: expected, byteOffset: offset)
            }
            guard record.number == expected else {
                let why = record.number > expected
                    ? "record \(expected) is missing (found record \(record.number) in its place): deleted or reordered"
                    : "record \(record.number) appears again or out of order at position \(expected): inserted or reordered"
                throw AuditError(code: .chainBroken, message: "\(name): \(why), byte offset \(offset)", record: expected, byteOffset: offset)
            }
            // The header may link to the previous (rotated) log's head; every other record to its predecessor.
            guard expected == 0 || record.previous == previous else {
                throw AuditError(code: .chainBroken,
                                 message: "\(name): record \(expected) at byte offset \(offset) does not link to record \(expected - 1): a record before it was replaced",
                                 record: expected, byteOffset: offset)
            }
            previous = record.hash
            count += 1
            if let logID { try checker.reached(record: expected, head: record.hash, logID: logID) }
        }
        guard let logID else {
            if let torn {
                throw AuditError(code: .tornTail, message: "\(name): the header itself is incomplete", record: 0, byteOffset: torn.offset)
            }
            throw AuditError(code: .malformedRecord, message: "\(name) is empty", record: 0, byteOffset: 0)
        }
        let records = count - 1
        let (checkpointCount, last) = try checker.finish(records: records)
        if let torn {
            throw AuditError(code: .tornTail,
                             message: "\(name): records 0…\(records) verify, but the final line at byte offset \(torn.offset) is incomplete (\(torn.bytes.count) bytes): a write was interrupted",
                             record: records + 1, byteOffset: torn.offset)
        }
        return AuditLogVerification(logID: logID, chain: hasher.kind.rawValue, records: records, checkpoints: checkpointCount,
                                    lastCheckpointRecords: last, head: Hex.encode(previous))
    }

    private static func header(_ record: ChainRecord.Parsed, hasher: ChainHasher, name: String) throws -> UUID {
        guard let log = record.object["log"] as? [String: Any], log["format"] as? String == ChainRecord.formatName,
              let id = (log["id"] as? String).flatMap(UUID.init(uuidString:)) else {
            throw AuditError(code: .malformedRecord, message: "\(name) does not start with a zt-audit-log header", record: 0, byteOffset: 0)
        }
        guard log["v"] as? Int == ChainRecord.formatVersion else {
            throw AuditError(code: .malformedRecord, message: "\(name): unsupported log format version \(log["v"].map { "\($0)" } ?? "?") (this reader knows 1)",
                             record: 0, byteOffset: 0)
        }
        guard log["chain"] as? String == hasher.kind.rawValue else {
            throw AuditError(code: .keyMismatch,
                             message: "\(name) is chained with \(log["chain"] as? String ?? "?"); verify it \(hasher.kind == .sha256 ? "with" : "without") an HMAC key",
                             record: 0, byteOffset: 0)
        }
        return id
    }
}
