public import Foundation
public import ZeroTrustCrypto

/// A signed statement "log `logID` had `recordCount` records and its chain head was `head`",
/// written every N records and at close to the checkpoint file beside the log (`<log>.ckpt`).
///
/// The signature is Ed25519 over the 88-byte message documented in Documentation/AuditEvents.md:
/// `"zt-audit-checkpoint-v1"` ‖ 0x00 ‖ log id (16 bytes) ‖ count (UInt64 big-endian) ‖ head (32 bytes)
/// ‖ time (Int64 big-endian microseconds since 1970).
public struct Checkpoint: Sendable, Hashable {
    /// The log's identifier (from its header record).
    public let logID: UUID
    /// How many event records the checkpoint covers (the `n` of the last one).
    public let recordCount: Int
    /// The hash of record `recordCount` (the header's hash when 0).
    public let head: [UInt8]
    /// When it was written.
    public let time: Date
    /// The Ed25519 signature (64 bytes).
    public let signature: [UInt8]

    static let domain = Array("zt-audit-checkpoint-v1".utf8) + [0]

    static func message(logID: UUID, recordCount: Int, head: [UInt8], time: Date) -> [UInt8] {
        var message = domain
        withUnsafeBytes(of: logID.uuid) { message.append(contentsOf: $0) }
        withUnsafeBytes(of: UInt64(recordCount).bigEndian) { message.append(contentsOf: $0) }
        message.append(contentsOf: head)
        let micros = Int64((time.timeIntervalSince1970 * 1_000_000).rounded())
        withUnsafeBytes(of: micros.bigEndian) { message.append(contentsOf: $0) }
        return message
    }

    /// The time rounded to the microseconds the line stores, so a re-read checkpoint verifies.
    static func storedTime(_ time: Date) -> Date {
        Date(timeIntervalSince1970: (time.timeIntervalSince1970 * 1_000_000).rounded() / 1_000_000)
    }

    static func signed(logID: UUID, recordCount: Int, head: [UInt8], time: Date, key: Ed25519.PrivateKey) throws -> Checkpoint {
        let time = storedTime(time)
        let signature = try key.signature(for: message(logID: logID, recordCount: recordCount, head: head, time: time))
        return Checkpoint(logID: logID, recordCount: recordCount, head: head, time: time, signature: signature)
    }

    /// Whether the signature verifies under `publicKey`.
    public func isValidSignature(publicKey: Ed25519.PublicKey) -> Bool {
        publicKey.isValidSignature(signature, for: Self.message(logID: logID, recordCount: recordCount, head: head, time: time))
    }

    /// The checkpoint-file line (without newline).
    var line: [UInt8] {
        JSONWriter.withStackBuffer { writer in
            writer.beginObject()
            writer.field("v", 1)
            writer.field("log_id", logID.uuidString.lowercased())
            writer.field("count", recordCount)
            writer.field("head", Hex.encode(head))
            writer.field("time_us", Int64((time.timeIntervalSince1970 * 1_000_000).rounded()))
            writer.field("sig", Hex.encode(signature))
            writer.endObject()
            return writer.bytes
        }
    }

    /// Parses a checkpoint-file line; nil when it is not in the format.
    static func parse(_ line: some Collection<UInt8>) -> Checkpoint? {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(line), options: [])) as? [String: Any],
              object["v"] as? Int == 1, object.count == 6,
              let id = (object["log_id"] as? String).flatMap(UUID.init(uuidString:)),
              let count = object["count"] as? Int, count >= 0,
              let head = (object["head"] as? String).flatMap(Hex.decode), head.count == 32,
              let micros = object["time_us"] as? Int64,
              let signature = (object["sig"] as? String).flatMap(Hex.decode), signature.count == 64
        else { return nil }
        return Checkpoint(logID: id, recordCount: count, head: head,
                          time: Date(timeIntervalSince1970: Double(micros) / 1_000_000), signature: signature)
    }

    /// The checkpoint file that belongs to the log at `logPath`.
    public static func path(forLog logPath: String) -> String { logPath + ".ckpt" }
}
