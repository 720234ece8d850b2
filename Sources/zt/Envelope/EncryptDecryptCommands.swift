import ArgumentParser
import ZeroTrustEnvelope

/// `zt encrypt`.
struct EncryptCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "encrypt",
        abstract: "Encrypt a file into an envelope (format v1) under a fresh data key from a local keyring.",
        discussion: """
            The data key is wrapped under the primary version of --key-id and bound to the
            encryption context. OUT is written atomically (mode 0600). Memory use is constant
            whatever the file size.

            Examples:
              zt encrypt --kms-dir keys --master-key-file master.key --key-id datasets \\
                  --context data_id=ds-42 --context data_type=training-set train.parquet train.zte
              zt encrypt --kms-dir keys --master-key-file master.key --key-id models \\
                  --algorithm xchacha20-poly1305 --segment-size 1048576 model.bin model.zte
            """
    )

    @Option(name: .long, help: "Keyring directory.") var kmsDir: String
    @Option(name: .long, help: "Key-encryption key id.") var keyId: String
    @Option(name: .long, help: "Encryption context pair KEY=VALUE (repeatable).") var context: [String] = []
    @Option(name: .long, help: "aes-256-gcm (default) or xchacha20-poly1305.") var algorithm: String = "aes-256-gcm"
    @Option(name: .long, help: "Plaintext bytes per segment, 16 to 8388608 (default 65536).")
    var segmentSize: Int = EnvelopeHeader.defaultSegmentSize
    @OptionGroup var master: MasterKeyOptions
    @Argument(help: "Input file.") var input: String
    @Argument(help: "Output envelope.") var output: String

    func run() async throws {
        guard let algorithm = EnvelopeAlgorithm(name: algorithm) else {
            throw CommandFailure.badInput("--algorithm must be aes-256-gcm or xchacha20-poly1305")
        }
        let context = try ContextArguments.parse(self.context) ?? .empty
        let kms = try master.open(kmsDir)
        let progress = ProgressLine(label: "encrypting", total: fileSize(input))
        defer { progress.finish() }
        try await envelopeFailure {
            try await EnvelopeFile.encrypt(inputPath: input, outputPath: output, keyID: keyId, context: context, kms: kms,
                                           algorithm: algorithm, segmentSize: segmentSize, progress: progress.update)
        }
    }
}

/// `zt decrypt`.
struct DecryptCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decrypt",
        abstract: "Decrypt an envelope, or a byte range of it.",
        discussion: """
            OUT is written to a temporary file that is renamed into place only after the final
            segment authenticated; on any failure it is removed and the exit status is 1
            (authentication, integrity, context or key failure) or 2 (usage or I/O).
            When --context pairs are given they must equal the envelope's stored context.
            --range START-END selects plaintext bytes START to END inclusive (as HTTP ranges);
            only the segments holding them are read and verified.

            Examples:
              zt decrypt --kms-dir keys --master-key-file master.key train.zte train.parquet
              zt decrypt --kms-dir keys --master-key-file master.key --context data_id=ds-42 train.zte train.parquet
              zt decrypt --kms-dir keys --master-key-file master.key --range 4096-8191 model.zte slice.bin
            """
    )

    @Option(name: .long, help: "Keyring directory.") var kmsDir: String
    @Option(name: .long, help: "Required encryption context pair KEY=VALUE (repeatable).") var context: [String] = []
    @Option(name: .long, help: "Plaintext byte range START-END, inclusive.") var range: String?
    @OptionGroup var master: MasterKeyOptions
    @Argument(help: "Input envelope.") var input: String
    @Argument(help: "Output file.") var output: String

    func run() async throws {
        let expected = try ContextArguments.parse(context)
        let byteRange = try range.map(Self.parseRange)
        let kms = try master.open(kmsDir)
        let progress = ProgressLine(label: "decrypting", total: fileSize(input))
        defer { progress.finish() }
        try await envelopeFailure {
            try await EnvelopeFile.decrypt(inputPath: input, outputPath: output, kms: kms, expectedContext: expected,
                                           range: byteRange, progress: progress.update)
        }
    }

    static func parseRange(_ text: String) throws -> Range<UInt64> {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let start = UInt64(parts[0]), let end = UInt64(parts[1]), start <= end, end < UInt64.max else {
            throw CommandFailure.badInput("--range \(text): expected START-END with START <= END (bytes, inclusive)")
        }
        return start..<(end + 1)
    }
}
