import ArgumentParser
import ZeroTrustCrypto

/// Options shared by `seal` and `open`.
struct AEADOptions: ParsableArguments {
    @Option(name: .long, help: "Symmetric key file (from `zt crypto keygen`).")
    var key: String

    @Option(name: .long, help: "AEAD algorithm: aes-256-gcm (default), chacha20-poly1305, xchacha20-poly1305.")
    var algorithm: AEADChoice = .aes256GCM

    @Option(name: .long, help: "Associated data (UTF-8) bound to the ciphertext; must match on open.")
    var aad: String = ""

    @Argument(help: "Input file, or - for stdin.")
    var input: String

    @Argument(help: "Output file (written atomically).")
    var output: String
}

/// `zt crypto seal`.
struct SealCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seal",
        abstract: "Encrypt and authenticate a file: OUT = nonce ‖ ciphertext ‖ tag, under a random nonce.",
        discussion: """
            Example:
              zt crypto seal --key data.key --aad ds-1 plain.bin sealed.bin
            """
    )

    @OptionGroup var options: AEADOptions

    func run() throws {
        let key = try SymmetricKeyFile.read(options.key)
        let plaintext = try InputFiles.data(options.input)
        let box = try loading("cannot seal") { try options.algorithm.namespace.seal(plaintext, using: key, authenticating: Array(options.aad.utf8)) }
        try InputFiles.writePublic(box.combined, to: options.output)
    }
}

/// `zt crypto open`.
struct OpenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "open",
        abstract: "Authenticate and decrypt a file sealed by `zt crypto seal`.",
        discussion: """
            Exit 1, and no output file, when the data, key or associated data do not authenticate.

            Example:
              zt crypto open --key data.key --aad ds-1 sealed.bin plain.out
            """
    )

    @OptionGroup var options: AEADOptions

    func run() throws {
        let key = try SymmetricKeyFile.read(options.key)
        let sealed = try InputFiles.data(options.input)
        let box = try loading(options.input) { try AEADSealedBox(combined: sealed, algorithm: options.algorithm.algorithm) }
        let plaintext: [UInt8]
        do {
            plaintext = try options.algorithm.namespace.open(box, using: key, authenticating: Array(options.aad.utf8))
        } catch let error as CryptoError where error.code == .authenticationFailure {
            throw CommandFailure.rejected("\(options.input): \(error.message)")
        }
        try loading("cannot write \(options.output)") { try SecretFile.write(SecureBytes(copying: plaintext), to: options.output) }
    }
}
