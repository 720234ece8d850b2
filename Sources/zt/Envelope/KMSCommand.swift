import ArgumentParser
import Foundation
import ZeroTrustCrypto
import ZeroTrustEnvelope

/// `zt kms`: a local keyring of key-encryption keys.
struct KMSCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kms",
        abstract: "Manage a local keyring of key-encryption keys (LocalKMS).",
        discussion: """
            The master key comes from --master-key-file FILE or, when that is absent, from the
            passphrase in the environment variable ZT_KMS_PASSPHRASE (stretched with Argon2id).

            Examples:
              zt crypto keygen --type aes-256-gcm --out master.key
              zt kms init --dir keys --master-key-file master.key
              ZT_KMS_PASSPHRASE=... zt kms init --dir keys
              zt kms create-key --dir keys --master-key-file master.key --key-id datasets
              zt kms rotate --dir keys --master-key-file master.key --key-id datasets
              zt kms list --dir keys --master-key-file master.key
            """,
        subcommands: [KMSInitCommand.self, KMSCreateKeyCommand.self, KMSRotateCommand.self, KMSListCommand.self,
                      KMSDisableCommand.self, KMSEnableCommand.self, KMSDestroyCommand.self]
    )
}

/// JSON for one key, no secrets.
func keyJSON(_ key: KeyDescription) -> [String: Any] {
    [
        "keyID": key.keyID, "algorithm": key.algorithm, "primaryVersion": key.primaryVersion,
        "versions": key.versions.map {
            ["version": $0.version, "state": $0.state.rawValue, "createdAt": Int64($0.createdAt.timeIntervalSince1970)] as [String: Any]
        },
    ]
}

struct KMSInitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create an empty keyring in DIR.",
        discussion: """
            The Argon2id costs apply only to passphrase keyrings; they are recorded in the keyring.
            The defaults (3 passes over 256 MiB, libsodium's "moderate") suit real keyrings; lower
            them only for tests or very constrained machines.

            Examples:
              zt kms init --dir keys --master-key-file master.key
              ZT_KMS_PASSPHRASE=... zt kms init --dir keys
            """
    )

    @Option(name: .long, help: "Keyring directory (created with mode 0700 when missing).")
    var dir: String
    @OptionGroup var master: MasterKeyOptions
    @Option(name: .long, help: "Argon2id passes (passphrase keyrings).")
    var argon2Iterations: UInt64 = Argon2id.Parameters.moderate.iterations
    @Option(name: .long, help: "Argon2id memory in KiB (passphrase keyrings).")
    var argon2MemoryKib: UInt64 = Argon2id.Parameters.moderate.memoryBytes / 1024

    func run() async throws {
        let parameters = Argon2id.Parameters(iterations: argon2Iterations, memoryBytes: argon2MemoryKib * 1024)
        _ = try envelopeFailure { try LocalKMS.create(directory: dir, masterKey: try master.masterKey(), argon2: parameters) }
        JSONOutput.print(["keyring": dir + "/" + LocalKMS.keyringFileName])
    }
}

struct KMSCreateKeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create-key",
        abstract: "Create a key-encryption key (version 1) and print its description as JSON.",
        discussion: """
            Example:
              zt kms create-key --dir keys --master-key-file master.key --key-id datasets --algorithm xchacha20-poly1305
            """
    )

    @Option(name: .long, help: "Keyring directory.") var dir: String
    @Option(name: .long, help: "Key id (1 to 255 bytes).") var keyId: String
    @Option(name: .long, help: "aes-256-gcm (default) or xchacha20-poly1305.") var algorithm: String = "aes-256-gcm"
    @OptionGroup var master: MasterKeyOptions

    func run() async throws {
        guard let algorithm = EnvelopeAlgorithm(name: algorithm) else {
            throw CommandFailure.badInput("--algorithm must be aes-256-gcm or xchacha20-poly1305")
        }
        let kms = try master.open(dir)
        JSONOutput.print(keyJSON(try await envelopeFailure { try await kms.createKey(keyId, algorithm: algorithm) }))
    }
}

struct KMSRotateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate",
        abstract: "Add a new version of a key and make it primary; older versions still unwrap.",
        discussion: """
            --count N rotates N times in one process (for stress and crash-safety testing).

            Example:
              zt kms rotate --dir keys --master-key-file master.key --key-id datasets
            """
    )

    @Option(name: .long, help: "Keyring directory.") var dir: String
    @Option(name: .long, help: "Key id.") var keyId: String
    @Option(name: .long, help: "Rotate this many times.") var count: Int = 1
    @OptionGroup var master: MasterKeyOptions

    func run() async throws {
        guard count >= 1 else { throw CommandFailure.badInput("--count must be at least 1") }
        let kms = try master.open(dir)
        var description: KeyDescription?
        for _ in 0..<count {
            description = try await envelopeFailure { try await kms.rotateKey(keyId) }
        }
        if let description { JSONOutput.print(keyJSON(description)) }
    }
}

struct KMSListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List keys and versions as JSON (no key material).",
        discussion: """
            Output: {"keys":[{"algorithm":"aes-256-gcm","keyID":"datasets","primaryVersion":2,
                     "versions":[{"createdAt":1767225600,"state":"enabled","version":1},...]}]}

            Example:
              zt kms list --dir keys --master-key-file master.key
            """
    )

    @Option(name: .long, help: "Keyring directory.") var dir: String
    @OptionGroup var master: MasterKeyOptions

    func run() async throws {
        let kms = try master.open(dir)
        JSONOutput.print(["keys": await kms.listKeys().map(keyJSON)])
    }
}

/// `--dir`, `--key-id`, `--version` and the master key: what disable and enable take.
struct KeyVersionOptions: ParsableArguments {
    @Option(name: .long, help: "Keyring directory.") var dir: String
    @Option(name: .long, help: "Key id.") var keyId: String
    @Option(name: .long, help: "Key version.") var version: UInt32
    @OptionGroup var master: MasterKeyOptions
}

struct KMSDisableCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "disable",
        abstract: "Disable one (non-primary) version of a key: it no longer unwraps.",
        discussion: "Example:\n  zt kms disable --dir keys --master-key-file master.key --key-id datasets --version 1"
    )

    @OptionGroup var options: KeyVersionOptions

    func run() async throws {
        let kms = try options.master.open(options.dir)
        JSONOutput.print(keyJSON(try await envelopeFailure { try await kms.disableVersion(options.version, of: options.keyId) }))
    }
}

struct KMSEnableCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enable",
        abstract: "Enable a disabled version of a key again.",
        discussion: "Example:\n  zt kms enable --dir keys --master-key-file master.key --key-id datasets --version 1"
    )

    @OptionGroup var options: KeyVersionOptions

    func run() async throws {
        let kms = try options.master.open(options.dir)
        JSONOutput.print(keyJSON(try await envelopeFailure { try await kms.enableVersion(options.version, of: options.keyId) }))
    }
}

struct KMSDestroyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "destroy",
        abstract: "Destroy every version of a key (crypto-shredding). Irreversible.",
        discussion: "Example:\n  zt kms destroy --dir keys --master-key-file master.key --key-id old-datasets"
    )

    @Option(name: .long, help: "Keyring directory.") var dir: String
    @Option(name: .long, help: "Key id.") var keyId: String
    @OptionGroup var master: MasterKeyOptions

    func run() async throws {
        let kms = try master.open(dir)
        try await envelopeFailure { try await kms.destroyKey(keyId) }
        JSONOutput.print(["destroyed": keyId])
    }
}
