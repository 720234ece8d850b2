import Foundation
import ZeroTrustCrypto

/// Reading command inputs, with errors that name the file (exit code 2).
enum InputFiles {
    static func data(_ path: String) throws -> [UInt8] {
        if path == "-" {
            return Array(FileHandle.standardInput.readDataToEndOfFile())
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CommandFailure.badInput("cannot read \(path)")
        }
        return Array(data)
    }

    /// Writes non-secret output atomically (mode 0644); secrets go through `SecretFile`.
    static func writePublic(_ bytes: [UInt8], to path: String) throws {
        try loading("cannot write \(path)") {
            try bytes.withUnsafeBytes { try SecretFile.write($0, to: path, mode: 0o644) }
        }
    }
}
