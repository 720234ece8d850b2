import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The demo's readable transcript: a heading per act, one line per step with ✔ or ✘, colour
/// only when standard output is a terminal. Remembers whether every step behaved as narrated.
final class DemoTranscript {
    private let colour = isatty(1) == 1
    private(set) var failures: [String] = []

    private func paint(_ text: String, _ code: String) -> String { colour ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }

    func act(_ title: String) { print("\n" + paint("▶ " + title, "1;36")) }

    func note(_ text: String) { print("  " + paint(text, "2")) }

    /// Records a step; `asExpected` false marks the demo failed.
    func step(_ asExpected: Bool, _ text: String, detail: String? = nil) {
        let mark = asExpected ? paint("✔", "32") : paint("✘", "31")
        print("  \(mark) \(text)" + (detail.map { "  " + paint("(\($0))", "2") } ?? ""))
        if !asExpected { failures.append(text) }
    }

    func allowed(_ text: String) -> String { paint("ALLOWED", "1;32") + " " + text }
    func denied(_ text: String) -> String { paint("DENIED", "1;31") + " " + text }
}
