import Foundation

/// Reads the events back out of a chained log, without verifying the chain (that is
/// ``AuditLogVerifier``'s job): for printing and for replaying into detectors.
///
/// The file is read in fixed-size chunks, one event at a time, so a caller that consumes events as
/// they come (`zt audit tail` and `zt audit detect` do) needs memory for one chunk and one line.
public struct ChainedLogReader {
    private var lines: LogLineReader
    private let path: String
    private let decoder = JSONLinesDecoder()
    private var index = 0

    /// A reader over the log at `path`.
    package init(logAt path: String) throws {
        try self.init(logAt: path, chunkSize: LogLineReader.defaultChunkSize)
    }

    init(logAt path: String, chunkSize: Int) throws {
        guard let lines = try LogLineReader(path: path, chunkSize: chunkSize) else {
            throw AuditError(code: .io, message: "cannot read \(path): no such file")
        }
        self.lines = lines
        self.path = path
    }

    /// The next event, or nil at the end of the log. An incomplete final line is skipped; a
    /// malformed complete line is an error naming its record.
    package mutating func next() throws -> AuditEvent? {
        while let line = try lines.next(), line.isTerminated {
            defer { index += 1 }
            guard let record = ChainRecord.parse(line.bytes) else {
                throw AuditError(code: .malformedRecord, message: "\(path): record \(index) at byte offset \(line.offset) is not a chained record",
                                 record: index, byteOffset: line.offset)
            }
            guard index > 0 else { continue }
            guard let object = record.object["event"] as? [String: Any] else {
                throw AuditError(code: .malformedRecord, message: "\(path): record \(index) at byte offset \(line.offset) carries no event",
                                 record: index, byteOffset: line.offset)
            }
            do {
                return try decoder.decode(object: object, now: Date(timeIntervalSince1970: 0))
            } catch let error as AuditError {
                throw AuditError(code: error.code, message: "\(path): record \(index): \(error.message)", record: index, byteOffset: line.offset)
            }
        }
        return nil
    }

    /// The events of the log at `path`, in order, all in memory (iterate with a reader to avoid
    /// that). An incomplete final line is skipped; a malformed complete line is an error naming its
    /// record.
    public static func events(logAt path: String) throws -> [AuditEvent] {
        var reader = try ChainedLogReader(logAt: path)
        var events: [AuditEvent] = []
        while let event = try reader.next() { events.append(event) }
        return events
    }
}
