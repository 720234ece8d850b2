public import Logging
import Foundation

/// Mirrors events into a swift-log `Logger`, one log message per event with the native JSON line
/// as the message and the type, id and sequence as metadata.
///
/// A mirror only: a `LogHandler` cannot report failure, so this sink never throws and must not be
/// the one a strict ``AuditLog`` destination relies on.
public struct SwiftLogSink: AuditSink {
    private let logger: Logger
    private let level: Logger.Level
    private let encoder = JSONLinesEncoder()

    /// A sink logging at `level` (default `.notice`) through `logger`.
    public init(logger: Logger, level: Logger.Level = .notice) {
        self.logger = logger
        self.level = level
    }

    /// Logs each event.
    public func write(_ events: [AuditEvent]) async throws {
        for event in events {
            logger.log(level: level, "\(String(decoding: encoder.encode(event), as: UTF8.self))",
                       metadata: ["audit.type": "\(event.payload.typeName)", "audit.id": "\(event.id.uuidString.lowercased())",
                                  "audit.seq": "\(event.sequence)"])
        }
    }
}
