import ArgumentParser
import Foundation
import ZeroTrustCrypto
import ZeroTrustMonitoring

/// `zt audit verify`.
struct AuditVerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify a chained audit log and its signed checkpoints.",
        discussion: """
            Exit 0: intact; prints {"chain":…,"checkpoints":C,"head":…,"log_id":…,"records":N,"status":"intact",
            "uncheckpointed":U}. U > 0 means the last U records are chained but not yet covered by a signed
            checkpoint (the writer did not close cleanly).
            Exit 1: tampered, truncated or torn; prints {"error":{"byte_offset":…,"code":…,"message":…,"record":N}}
            where N is the first bad record (0 is the header). Codes: recordModified, chainBroken,
            checkpointMismatch, badCheckpointSignature, truncated, tornTail, missingCheckpoint,
            malformedRecord, keyMismatch.
            Exit 2: bad usage, unreadable log or key.

            Example:
              zt audit verify audit.log --public-key audit-signer.pem.pub --hmac-key chain.key
            """
    )

    @Argument(help: "The log file.")
    var log: String

    @Option(name: .long, help: "The checkpoint signer's Ed25519 public key (PEM).")
    var publicKey: String

    @Option(name: .long, help: "The chain's HMAC key, when the log is keyed.")
    var hmacKey: String?

    func run() throws {
        let verifier = AuditLogVerifier(publicKey: try AuditKeys.publicKey(publicKey), hmacKey: try AuditKeys.hmacKey(hmacKey))
        do {
            let result = try verifier.verify(logAt: log)
            JSONOutput.print(["status": "intact", "log_id": result.logID.uuidString.lowercased(), "chain": result.chain,
                              "records": result.records, "checkpoints": result.checkpoints,
                              "uncheckpointed": result.uncheckpointedRecords, "head": result.head])
        } catch let error as AuditError where error.code == .io {
            throw CommandFailure.badInput(error.message)
        } catch let error as AuditError {
            var details: [String: Any] = ["code": error.code.rawValue, "message": error.message]
            if let record = error.record { details["record"] = record }
            if let offset = error.byteOffset { details["byte_offset"] = offset }
            JSONOutput.print(["error": details])
            throw CommandFailure.rejected(error.message)
        }
    }
}
