import Foundation
import ZeroTrustMonitoring

/// Reads the events of a chained log for `tail` and `detect` (without verifying; use `verify`).
enum AuditLogReader {
    static func events(_ path: String) throws -> [AuditEvent] {
        do {
            return try ChainedLogReader.events(logAt: path)
        } catch let error as AuditError {
            throw CommandFailure.badInput(error.message)
        }
    }
}
