import ArgumentParser
import ZeroTrustEnvelope

/// `zt rewrap`.
struct RewrapCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rewrap",
        abstract: "Re-wrap an envelope's data key under the current primary version of its key.",
        discussion: """
            Use after `zt kms rotate`. Only the header changes (segments are copied, not
            decrypted); FILE is replaced atomically. Prints the new key reference as JSON.

            Example:
              zt kms rotate --dir keys --master-key-file master.key --key-id datasets
              zt rewrap --kms-dir keys --master-key-file master.key train.zte
            """
    )

    @Option(name: .long, help: "Keyring directory.") var kmsDir: String
    @OptionGroup var master: MasterKeyOptions
    @Argument(help: "Envelope to re-wrap in place.") var file: String

    func run() async throws {
        let kms = try master.open(kmsDir)
        let header = try await envelopeFailure { try await EnvelopeFile.rewrap(path: file, kms: kms) }
        JSONOutput.print(["keyID": header.keyReference.keyID, "keyVersion": header.keyReference.version])
    }
}

/// `zt envelope`.
struct EnvelopeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "envelope",
        abstract: "Look at envelopes without decrypting them.",
        discussion: "Example:\n  zt envelope inspect train.zte",
        subcommands: [EnvelopeInspectCommand.self]
    )
}

/// `zt envelope inspect`.
struct EnvelopeInspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Print an envelope's header as JSON (no secrets; nothing is verified).",
        discussion: """
            Output fields: format, version, algorithm, segmentSize, headerLength, keyID, keyVersion,
            context (object), saltHex, noncePrefixHex, keyCommitmentHex, wrappedKeyLength,
            plaintextLength (derived from the file size).

            Example:
              zt envelope inspect train.zte
            """
    )

    @Argument(help: "Envelope file.") var file: String

    func run() throws {
        let header = try envelopeFailure { try EnvelopeFile.header(atPath: file) }
        let size = fileSize(file)
        var object: [String: Any] = [
            "format": "ZTEV", "version": Int(EnvelopeHeader.formatVersion), "algorithm": header.algorithm.name,
            "segmentSize": header.segmentSize, "headerLength": header.byteCount, "keyID": header.keyReference.keyID,
            "keyVersion": header.keyReference.version, "context": header.context.pairs,
            "saltHex": hexString(header.salt), "noncePrefixHex": hexString(header.noncePrefix),
            "keyCommitmentHex": hexString(header.keyCommitment), "wrappedKeyLength": header.wrappedKey.bytes.count,
        ]
        if let plaintext = header.plaintextByteCount(envelopeByteCount: size) { object["plaintextLength"] = plaintext }
        JSONOutput.print(object)
    }

    private func hexString(_ bytes: [UInt8]) -> String {
        bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
    }
}
