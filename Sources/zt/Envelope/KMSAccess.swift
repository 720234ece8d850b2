import ArgumentParser
import Foundation
import ZeroTrustCrypto
import ZeroTrustEnvelope

/// How every envelope command reaches a keyring: `--master-key-file F`, else the passphrase in
/// the environment variable `ZT_KMS_PASSPHRASE`. Never a secret on the command line.
struct MasterKeyOptions: ParsableArguments {
    @Option(name: .long, help: "File holding the keyring's 32-byte master key (raw, or base64 as written by `zt crypto keygen --type aes-256-gcm`). Without it, the passphrase is read from ZT_KMS_PASSPHRASE.")
    var masterKeyFile: String?

    static let passphraseVariable = "ZT_KMS_PASSPHRASE"

    func masterKey() throws -> LocalKMS.MasterKey {
        if let masterKeyFile { return .keyFile(masterKeyFile) }
        guard let passphrase = ProcessInfo.processInfo.environment[Self.passphraseVariable], !passphrase.isEmpty else {
            throw CommandFailure.badInput("no master key: pass --master-key-file FILE or set \(Self.passphraseVariable)")
        }
        return .passphrase(SecureBytes(copying: Array(passphrase.utf8)))
    }

    func open(_ directory: String) throws -> LocalKMS {
        try envelopeFailure { try LocalKMS(directory: directory, masterKey: try masterKey()) }
    }
}

/// `K=V` pairs from repeated `--context` options.
enum ContextArguments {
    static func parse(_ values: [String]) throws -> EncryptionContext? {
        guard !values.isEmpty else { return nil }
        var pairs: [String: String] = [:]
        for value in values {
            guard let equals = value.firstIndex(of: "="), equals != value.startIndex else {
                throw CommandFailure.badInput("--context \(value): expected KEY=VALUE")
            }
            let key = String(value[..<equals])
            guard pairs[key] == nil else { throw CommandFailure.badInput("--context: key \(key) given twice") }
            pairs[key] = String(value[value.index(after: equals)...])
        }
        return try envelopeFailure { try EncryptionContext(pairs) }
    }
}

/// Runs `body`, mapping an `EnvelopeError` to the exit-code contract: 2 for bad usage and I/O,
/// 1 for every authentication, integrity, context or key failure.
@discardableResult
func envelopeFailure<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let error as EnvelopeError {
        throw CommandFailure.forEnvelope(error)
    }
}

/// Synchronous form of ``envelopeFailure(_:)-async``.
@discardableResult
func envelopeFailure<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as EnvelopeError {
        throw CommandFailure.forEnvelope(error)
    }
}

extension CommandFailure {
    static func forEnvelope(_ error: EnvelopeError) -> CommandFailure {
        let usage: Set<EnvelopeError.Code> = [.ioError, .invalidParameter, .invalidContext, .keyringUnavailable, .keyringExists,
                                               .rangeOutOfBounds, .keyExists, .kmsUnavailable]
        let message = "\(error.code): \(error.message)"
        return usage.contains(error.code) ? .badInput(message) : .rejected(message)
    }
}

/// A one-line progress indicator on stderr, shown only when stderr is a terminal and the input
/// is at least 64 MiB.
final class ProgressLine {
    private let total: UInt64
    private let label: String
    private let enabled: Bool
    private var lastPercent = -1

    init(label: String, total: UInt64) {
        self.label = label
        self.total = total
        enabled = FileHandleOutput.standardError.isTerminal && total >= 64 << 20
    }

    func update(_ done: UInt64) {
        guard enabled, total > 0 else { return }
        let percent = Int(min(done, total) * 100 / total)
        guard percent != lastPercent else { return }
        lastPercent = percent
        let width = 30, filled = percent * width / 100
        FileHandleOutput.standardError.write("\r\(label) [\(String(repeating: "#", count: filled))\(String(repeating: " ", count: width - filled))] \(percent)%")
    }

    func finish() {
        if enabled, lastPercent >= 0 { FileHandleOutput.standardError.write("\n") }
    }
}

/// The size of a file, or 0 when it cannot be known.
func fileSize(_ path: String) -> UInt64 {
    ((try? FileManager.default.attributesOfItem(atPath: path)[.size]) as? NSNumber)?.uint64Value ?? 0
}
