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
/// ```swift
/// let verifier = AuditLogVerifier(publicKey: signingKey.publicKey, hmacKey: logKey)
/// let result = try verifier.verify(logAt: "audit.log")
/// print(result.records, "records intact")
/// ```
public struct AuditLogVerifier: Sendable {
    private let publicKey: Ed25519.PublicKey
    private let hmacKey: SymmetricKey?

    /// A verifier for logs checkpointed by `publicKey`'s private key and chained under `hmacKey`
    /// (nil for an unkeyed SHA-256 chain).
    public init(publicKey: Ed25519.PublicKey, hmacKey: SymmetricKey? = nil) {
        self.publicKey = publicKey
        self.hmacKey = hmacKey
    }

    /// Verifies the log at `path` against its checkpoint file `<path>.ckpt`.
    public func verify(logAt path: String) throws -> AuditLogVerification {
        guard let bytes = try FileDescriptor.contents(of: path) else {
            throw AuditError(code: .io, message: "cannot read \(path): no such file")
        }
        return try verify(log: bytes, checkpoints: try FileDescriptor.contents(of: Checkpoint.path(forLog: path)), name: path)
    }

    /// Verifies log and checkpoint-file bytes (`checkpoints` nil when the file is missing).
    public func verify(log bytes: [UInt8], checkpoints checkpointBytes: [UInt8]?, name: String = "log") throws -> AuditLogVerification {
        let hasher = try ChainHasher(key: hmacKey)
        var end = bytes.count
        var tornOffset: Int?
        if bytes.last != UInt8(ascii: "\n") {
            tornOffset = (bytes.lastIndex(of: UInt8(ascii: "\n")) ?? -1) + 1
            end = tornOffset ?? 0
        }
        var heads: [[UInt8]] = []
        var logID: UUID?
        var offset = 0
        var previous = ChainRecord.zeroHash
        for line in bytes[..<end].split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).dropLast() {
            let expected = heads.count
            defer { offset += line.count + 1 }
            guard let record = ChainRecord.parse(line) else {
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
            heads.append(record.hash)
        }
        guard let logID else {
            if let tornOffset {
                throw AuditError(code: .tornTail, message: "\(name): the header itself is incomplete", record: 0, byteOffset: tornOffset)
            }
            throw AuditError(code: .malformedRecord, message: "\(name) is empty", record: 0, byteOffset: 0)
        }
        let records = heads.count - 1
        let (count, last) = try verifyCheckpoints(checkpointBytes, logID: logID, heads: heads, name: name)
        if let tornOffset {
            throw AuditError(code: .tornTail,
                             message: "\(name): records 0…\(records) verify, but the final line at byte offset \(tornOffset) is incomplete (\(bytes.count - tornOffset) bytes): a write was interrupted",
                             record: records + 1, byteOffset: tornOffset)
        }
        return AuditLogVerification(logID: logID, chain: hasher.kind.rawValue, records: records, checkpoints: count,
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

    /// Checks every checkpoint line; returns how many there are and the last one's count.
    private func verifyCheckpoints(_ bytes: [UInt8]?, logID: UUID, heads: [[UInt8]], name: String) throws -> (Int, Int) {
        let checkpointName = Checkpoint.path(forLog: name)
        guard let bytes, !bytes.isEmpty else {
            throw AuditError(code: .missingCheckpoint, message: "\(checkpointName) is missing or empty: the log cannot be vouched for", record: 0)
        }
        var count = 0
        var last = 0
        for (index, line) in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            if line.isEmpty && index > 0 { continue }
            let lineNumber = index + 1
            guard let checkpoint = Checkpoint.parse(line) else {
                let torn = bytes.last != UInt8(ascii: "\n") && line.endIndex == bytes.endIndex
                throw AuditError(code: torn ? .tornTail : .malformedRecord,
                                 message: "\(checkpointName) line \(lineNumber) is \(torn ? "incomplete" : "not a checkpoint")")
            }
            guard checkpoint.isValidSignature(publicKey: publicKey) else {
                throw AuditError(code: .badCheckpointSignature,
                                 message: "\(checkpointName) line \(lineNumber): the signature does not verify under this public key",
                                 record: checkpoint.recordCount)
            }
            guard checkpoint.logID == logID else {
                throw AuditError(code: .checkpointMismatch,
                                 message: "\(checkpointName) line \(lineNumber) is for another log (\(checkpoint.logID.uuidString.lowercased()))")
            }
            guard checkpoint.recordCount < heads.count else {
                throw AuditError(code: .truncated,
                                 message: "\(name) was truncated: a signed checkpoint covers \(checkpoint.recordCount) records but only \(heads.count - 1) remain",
                                 record: heads.count)
            }
            guard constantTimeEquals(checkpoint.head, heads[checkpoint.recordCount]) else {
                throw AuditError(code: .checkpointMismatch,
                                 message: "\(name): the chain head at record \(checkpoint.recordCount) differs from the signed checkpoint (\(checkpointName) line \(lineNumber)): records up to it were rewritten",
                                 record: checkpoint.recordCount)
            }
            guard checkpoint.recordCount >= last else {
                throw AuditError(code: .checkpointMismatch, message: "\(checkpointName) line \(lineNumber) goes backwards (\(checkpoint.recordCount) after \(last))",
                                 record: checkpoint.recordCount)
            }
            count += 1
            last = checkpoint.recordCount
        }
        return (count, last)
    }
}
