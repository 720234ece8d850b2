import Foundation
import Testing
@testable import ZeroTrustCrypto

/// Hex literal to bytes; a malformed literal fails the test that uses it.
func hex(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> [UInt8] {
    guard let bytes = Hex.decode(text) else {
        Issue.record("bad hex literal in test: \(text.prefix(20))…", sourceLocation: sourceLocation)
        return []
    }
    return bytes
}

func utf8(_ text: String) -> [UInt8] { Array(text.utf8) }

/// Whether `body` throws a `CryptoError` with `code`.
func throwsCryptoError(_ code: CryptoError.Code, _ body: () throws -> Void) -> Bool {
    do {
        try body()
        return false
    } catch let error as CryptoError {
        return error.code == code
    } catch {
        return false
    }
}

/// The Wycheproof vectors: `$ZT_VECTORS/wycheproof`, else `../shared/vectors/wycheproof` beside the
/// repository root (see ../shared/vectors/README.md).
enum Wycheproof {
    static var directory: URL? {
        let fileManager = FileManager.default
        if let override = ProcessInfo.processInfo.environment["ZT_VECTORS"] {
            let url = URL(fileURLWithPath: override).appendingPathComponent("wycheproof")
            if fileManager.fileExists(atPath: url.path) { return url }
        }
        let repositoryRoot = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let url = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/vectors/wycheproof")
        return fileManager.fileExists(atPath: url.path) ? url : nil
    }

    /// The test groups of one vector file, or nil (reported) when the vectors are absent.
    static func groups(_ file: String) throws -> [[String: Any]]? {
        guard let directory else {
            print("Wycheproof vectors absent (set ZT_VECTORS or provide ../shared/vectors): \(file) skipped")
            return nil
        }
        let data = try Data(contentsOf: directory.appendingPathComponent(file))
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return try #require(root["testGroups"] as? [[String: Any]])
    }

    static func tests(of group: [String: Any]) -> [[String: Any]] {
        group["tests"] as? [[String: Any]] ?? []
    }
}

/// Counts of one Wycheproof file's cases, printed at the end of its test.
struct VectorTally: CustomStringConvertible {
    let file: String
    var ran = 0, passed = 0, skipped = 0
    var skipReasons: [String: Int] = [:]

    init(_ file: String) { self.file = file }

    mutating func skip(_ reason: String) {
        skipped += 1
        skipReasons[reason, default: 0] += 1
    }

    mutating func record(_ ok: Bool) {
        ran += 1
        if ok { passed += 1 }
    }

    var description: String {
        let reasons = skipReasons.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: "; ")
        return "Wycheproof \(file): ran \(ran), passed \(passed), skipped \(skipped)\(reasons.isEmpty ? "" : " (\(reasons))")"
    }
}

extension Dictionary where Key == String, Value == Any {
    func hexField(_ name: String) -> [UInt8] { hex(self[name] as? String ?? "") }
    func string(_ name: String) -> String { self[name] as? String ?? "" }
    func int(_ name: String) -> Int { self[name] as? Int ?? -1 }
}
