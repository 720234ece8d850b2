import ArgumentParser
import Foundation
import ZeroTrustCrypto
import ZeroTrustMonitoring

/// `zt audit record`.
struct AuditRecordCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Append events read from stdin (one native-schema JSON object a line) to a chained log.",
        discussion: """
            Each line is validated (Documentation/AuditEvents.md); the first invalid line stops the command
            with exit 2 and its line number, and nothing after it is appended. Events before it are kept.
            `id` and `time` may be omitted (filled in); `seq` is set to the record number. With
            --fsync every (the default) each event is on disk before the next line is read; with
            --acknowledge, its record number is then printed on stdout ({"ack":N}), so a producer knows
            exactly which events are durable. A checkpoint is signed every --checkpoint-every records and
            at the end of input.

            Exit codes: 0 all appended, 1 the existing log cannot be continued (torn tail, wrong key),
            2 bad usage, unreadable key or an invalid event.

            Examples:
              producer | zt audit record --log audit.log --signing-key audit-signer.pem --hmac-key chain.key
              zt audit record --log audit.log --signing-key audit-signer.pem --recover-torn-tail < events.jsonl
            """
    )

    @Option(name: .long, help: "The log file (created with mode 0600 when missing).")
    var log: String

    @Option(name: .long, help: "The Ed25519 private key that signs checkpoints (zt audit keygen).")
    var signingKey: String

    @Option(name: .long, help: "The chain's HMAC key (base64 key file); without it the chain is SHA-256.")
    var hmacKey: String?

    @Option(name: .long, help: "Sign a checkpoint after this many records (default 1000).")
    var checkpointEvery = 1000

    @Option(name: .long, help: "When to fsync: every (each event), never, or a number N (every N events).")
    var fsync = "every"

    @Flag(name: .long, help: "Print {\"ack\":N} on stdout once record N is written (and synced per --fsync).")
    var acknowledge = false

    @Flag(name: .long, help: "Cut off an incomplete final line left by a crash, recording the cut as a log_recovery event.")
    var recoverTornTail = false

    func validate() throws {
        guard checkpointEvery > 0 else { throw ValidationError("--checkpoint-every must be positive") }
        guard fsyncPolicy != nil else { throw ValidationError("--fsync must be every, never or a positive number") }
    }

    private var fsyncPolicy: FsyncPolicy? {
        switch fsync {
        case "every": .everyWrite
        case "never": .never
        default: Int(fsync).flatMap { $0 > 0 ? .every(events: $0, milliseconds: Int.max) : nil }
        }
    }

    func run() throws {
        let configuration = ChainedLogConfiguration(
            signingKey: try AuditKeys.signingKey(signingKey), hmacKey: try AuditKeys.hmacKey(hmacKey),
            checkpointEvery: checkpointEvery, fsync: fsyncPolicy ?? .everyWrite, recoverTornTail: recoverTornTail)
        let writer: ChainedLogWriter
        do {
            writer = try ChainedLogWriter(path: log, configuration: configuration)
        } catch let error as AuditError {
            throw error.code == .io || error.code == .invalidConfiguration
                ? CommandFailure.badInput(error.message) : CommandFailure.rejected("\(error.code): \(error.message)")
        }
        let decoder = JSONLinesDecoder()
        var lineNumber = 0
        var failure: CommandFailure?
        while let line = readLine(strippingNewline: true) {
            lineNumber += 1
            if line.allSatisfy(\.isWhitespace) { continue }
            do {
                var event = try decoder.decode(Array(line.utf8))
                event.sequence = UInt64(writer.recordCount + 1)
                try writer.append(event)
                if acknowledge { FileHandleOutput.standardOutput.write("{\"ack\":\(writer.recordCount)}\n") }
            } catch let error as AuditError where error.code == .invalidEvent {
                failure = .badInput("stdin line \(lineNumber): \(error.message); nothing after it was appended")
                break
            } catch let error as AuditError {
                failure = .badInput("stdin line \(lineNumber): \(error.message)")
                break
            }
        }
        do { try writer.close() } catch let error as AuditError { throw CommandFailure.badInput(error.message) }
        if let failure { throw failure }
    }
}
