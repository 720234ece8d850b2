import ArgumentParser
import ZeroTrustCrypto

/// `zt audit keygen`.
struct AuditKeygenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keygen",
        abstract: "Generate the Ed25519 key that signs audit-log checkpoints, and its public key.",
        discussion: """
            The private key is written as PKCS#8 PEM with mode 0600, the public key as SubjectPublicKeyInfo
            PEM (mode 0644) to --public-out, by default KEY.pub. Verifiers need only the public key.

            Example:
              zt audit keygen --out audit-signer.pem --public-out audit-signer.pub.pem
            """
    )

    @Option(name: .long, help: "Where to write the private signing key (mode 0600).")
    var out: String

    @Option(name: .long, help: "Where to write the public key (default: OUT.pub).")
    var publicOut: String?

    func run() throws {
        let key = try Ed25519.PrivateKey()
        let publicPath = publicOut ?? out + ".pub"
        try loading("cannot write \(out)") { try SecretFile.write(try key.pemRepresentation, to: out) }
        try InputFiles.writePublic(Array(try key.publicKey.pemRepresentation.utf8), to: publicPath)
        JSONOutput.print(["type": "ed25519", "out": out, "public_out": publicPath])
    }
}
