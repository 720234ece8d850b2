import Foundation

/// Reads the events back out of a chained log, without verifying the chain (that is
/// ``AuditLogVerifier``'s job): for printing and for replaying into detectors.
public enum ChainedLogReader {
    /// The events of the log at `path`, in order. An incomplete final line is skipped; a malformed
    /// complete line is an error naming its record.
    public static func events(logAt path: String) throws -> [AuditEvent] {
        guard let bytes = try FileDescriptor.contents(of: path) else {
            throw AuditError(code: .io, message: "cannot read \(path): no such file")
        }
        let decoder = JSONLinesDecoder()
        var events: [AuditEvent] = []
        for (index, line) in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).dropLast().enumerated() {
            guard let record = ChainRecord.parse(line) else {
                throw AuditError(code: .malformedRecord, message: "\(path): record \(index) is not a chained record", record: index)
            }
            guard index > 0 else { continue }
            guard let object = record.object["event"] as? [String: Any] else {
                throw AuditError(code: .malformedRecord, message: "\(path): record \(index) carries no event", record: index)
            }
            do {
                events.append(try decoder.decode(object: object, now: Date(timeIntervalSince1970: 0)))
            } catch let error as AuditError {
                throw AuditError(code: error.code, message: "\(path): record \(index): \(error.message)", record: index)
            }
        }
        return events
    }
}
