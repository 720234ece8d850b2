import Foundation
import ZeroTrustCrypto

/// Checks the checkpoint file in step with ``AuditLogVerifier``'s pass over the log: each
/// checkpoint is compared with the chain head when the log reaches the record it covers, so no
/// record hashes are kept. Checkpoints must not go backwards, so one pass over each file suffices.
///
/// The first problem is held back, not thrown, until the whole log has verified: problems in the
/// log itself are reported first, in the order Documentation/AuditEvents.md gives.
struct CheckpointChecker {
    private var reader: LogLineReader?
    private let publicKey: Ed25519.PublicKey
    private let logName: String
    private let fileName: String
    /// The next checkpoint, read and signed correctly, covering a record the log has not reached.
    private var waiting: (checkpoint: Checkpoint, line: Int)?
    private var failure: AuditError?
    private var lineNumber = 0
    private var exhausted = false
    private var count = 0
    private var last = 0

    init(reader: LogLineReader?, publicKey: Ed25519.PublicKey, logName: String) {
        self.reader = reader
        self.publicKey = publicKey
        self.logName = logName
        fileName = Checkpoint.path(forLog: logName)
    }

    /// The log has verified up to `record`, whose hash is `head`: checks the checkpoints covering it.
    mutating func reached(record: Int, head: [UInt8], logID: UUID) throws {
        while failure == nil {
            if waiting == nil {
                guard let next = try readNext(logID: logID) else { return }
                waiting = next
            }
            guard let (checkpoint, line) = waiting, checkpoint.recordCount <= record else { return }
            waiting = nil
            // Every earlier checkpoint was taken when the log reached its count, and this one was read
            // right after: a count below the current record is below the previous checkpoint's.
            guard checkpoint.recordCount == record else {
                failure = AuditError(code: .checkpointMismatch, message: "\(fileName) line \(line) goes backwards (\(checkpoint.recordCount) after \(last))",
                                     record: checkpoint.recordCount)
                return
            }
            guard constantTimeEquals(checkpoint.head, head) else {
                failure = AuditError(code: .checkpointMismatch,
                                     message: "\(logName): the chain head at record \(record) differs from the signed checkpoint (\(fileName) line \(line)): records up to it were rewritten",
                                     record: record)
                return
            }
            count += 1
            last = record
        }
    }

    /// The log ended after `records` intact records: throws the first checkpoint problem, or returns
    /// how many checkpoints there are and the last one's count.
    mutating func finish(records: Int) throws -> (count: Int, last: Int) {
        if let failure { throw failure }
        if let (checkpoint, _) = waiting {
            throw AuditError(code: .truncated,
                             message: "\(logName) was truncated: a signed checkpoint covers \(checkpoint.recordCount) records but only \(records) remain",
                             record: records + 1)
        }
        return (count, last)
    }

    /// Reads and checks (format, signature, log id) the next checkpoint line; nil at the end of the
    /// file or after recording a failure.
    private mutating func readNext(logID: UUID) throws -> (Checkpoint, Int)? {
        while !exhausted {
            guard let line = try reader?.next() else { break }
            lineNumber += 1
            if line.bytes.isEmpty && lineNumber > 1 { continue }
            guard let checkpoint = Checkpoint.parse(line.bytes) else {
                failure = AuditError(code: line.isTerminated ? .malformedRecord : .tornTail,
                                     message: "\(fileName) line \(lineNumber) is \(line.isTerminated ? "not a checkpoint" : "incomplete")")
                return nil
            }
            guard checkpoint.isValidSignature(publicKey: publicKey) else {
                failure = AuditError(code: .badCheckpointSignature,
                                     message: "\(fileName) line \(lineNumber): the signature does not verify under this public key",
                                     record: checkpoint.recordCount)
                return nil
            }
            guard checkpoint.logID == logID else {
                failure = AuditError(code: .checkpointMismatch,
                                     message: "\(fileName) line \(lineNumber) is for another log (\(checkpoint.logID.uuidString.lowercased()))")
                return nil
            }
            return (checkpoint, lineNumber)
        }
        exhausted = true
        if lineNumber == 0 {
            failure = AuditError(code: .missingCheckpoint, message: "\(fileName) is missing or empty: the log cannot be vouched for", record: 0)
        }
        return nil
    }
}
