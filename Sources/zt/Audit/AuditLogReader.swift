import Foundation
import ZeroTrustMonitoring

/// Reads the events of a chained log for `tail` and `detect` (without verifying; use `verify`),
/// one at a time, so memory does not grow with the log.
struct AuditLogReader {
    private var reader: ChainedLogReader

    init(_ path: String) throws {
        reader = try Self.mapping { try ChainedLogReader(logAt: path) }
    }

    /// The next event, or nil at the end of the log.
    mutating func next() throws -> AuditEvent? {
        try Self.mapping { try reader.next() }
    }

    private static func mapping<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as AuditError {
            throw CommandFailure.badInput(error.message)
        }
    }
}
