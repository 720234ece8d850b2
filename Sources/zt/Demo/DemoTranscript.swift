import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The demo's readable transcript: a heading per act, one line per step with ✔ or ✘, colour
/// only when standard output is a terminal. With `json`, instead one JSON object per step (no
/// headings, notes or colour). Remembers whether every step behaved as narrated.
final class DemoTranscript {
    private let json: Bool
    private let colour: Bool
    private var currentAct = ""
    private(set) var steps = 0
    private(set) var failures: [String] = []

    init(json: Bool = false) {
        self.json = json
        colour = !json && isatty(1) == 1
    }

    private func paint(_ text: String, _ code: String) -> String { colour ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }

    func act(_ title: String) {
        currentAct = title
        if !json { print("\n" + paint("▶ " + title, "1;36")) }
    }

    func note(_ text: String) { if !json { print("  " + paint(text, "2")) } }

    /// Records a step; `asExpected` false marks the demo failed.
    func step(_ asExpected: Bool, _ text: String, detail: String? = nil) {
        steps += 1
        if !asExpected { failures.append(text) }
        if json {
            JSONOutput.print(["type": "step", "act": currentAct, "step": text, "as_narrated": asExpected,
                              "detail": detail ?? NSNull()])
            return
        }
        let mark = asExpected ? paint("✔", "32") : paint("✘", "31")
        print("  \(mark) \(text)" + (detail.map { "  " + paint("(\($0))", "2") } ?? ""))
    }

    /// The closing line: a sentence, or with `json` a `summary` object.
    func finish() {
        if json {
            JSONOutput.print(["type": "summary", "steps": steps, "failed": failures.count, "failures": failures,
                              "as_narrated": failures.isEmpty])
        } else if failures.isEmpty {
            print("\nEvery step behaved as narrated.")
        }
    }

    func allowed(_ text: String) -> String { paint("ALLOWED", "1;32") + " " + text }
    func denied(_ text: String) -> String { paint("DENIED", "1;31") + " " + text }
}
