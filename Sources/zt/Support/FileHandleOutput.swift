#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Unbuffered writes to stdout and stderr, so output order is what the code says.
enum FileHandleOutput {
    case standardOutput, standardError

    func write(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count, let base = bytes.baseAddress {
                #if canImport(Glibc)
                let written = Glibc.write(self == .standardOutput ? 1 : 2, base + offset, bytes.count - offset)
                #else
                let written = Darwin.write(self == .standardOutput ? 1 : 2, base + offset, bytes.count - offset)
                #endif
                if written <= 0 { return }
                offset += written
            }
        }
    }

    /// Whether this stream is a terminal (for colour and progress output).
    var isTerminal: Bool { isatty(self == .standardOutput ? 1 : 2) == 1 }
}
