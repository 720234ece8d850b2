import Foundation

/// Compact JSON with sorted keys, one document per line: stable for scripts and tests.
enum JSONOutput {
    static func line(_ object: [String: Any]) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]),
              let text = String(data: data, encoding: .utf8)
        else { return "{}\n" }
        return text + "\n"
    }

    static func print(_ object: [String: Any]) {
        FileHandleOutput.standardOutput.write(line(object))
    }
}
