import ArgumentParser

/// `zt crypto`: the primitives of ZeroTrustCrypto from the shell.
struct CryptoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crypto",
        abstract: "Generate keys, seal and open messages, sign and verify, hash.",
        discussion: """
            Examples:
              zt crypto keygen --type aes-256-gcm --out data.key
              zt crypto seal --key data.key --aad ds-1 plain.bin sealed.bin
              zt crypto open --key data.key --aad ds-1 sealed.bin plain.out
              zt crypto keygen --type ed25519 --out signer.pem --public-out signer.pub.pem
              zt crypto sign --key signer.pem model.bin > model.sig
              zt crypto verify --public-key signer.pub.pem --signature="$(cat model.sig)" model.bin
            """,
        subcommands: [KeygenCommand.self, SealCommand.self, OpenCommand.self, SignCommand.self, VerifyCommand.self,
                      HashCommand.self]
    )
}
