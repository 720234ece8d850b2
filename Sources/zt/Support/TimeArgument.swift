import Foundation

/// `--at` values: RFC 3339 (`2026-11-25T10:00:00Z`, fractional seconds and offsets allowed) or
/// UNIX seconds.
enum TimeArgument {
    static func parse(_ text: String, option: String = "--at") throws -> Date {
        if let seconds = Double(text), seconds.isFinite { return Date(timeIntervalSince1970: seconds) }
        if let date = try? Date(text, strategy: .iso8601) { return date }
        if let date = try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) { return date }
        throw CommandFailure.badInput("\(option) \(text) is neither RFC 3339 nor UNIX seconds")
    }
}
