import ArgumentParser
import ZeroTrustCrypto

/// `zt crypto keygen`.
struct KeygenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keygen",
        abstract: "Generate a key and write it with mode 0600 (public keys 0644).",
        discussion: """
            Symmetric keys are written as one line of base64; private keys as PKCS#8 PEM; public keys as
            SubjectPublicKeyInfo PEM. Files are replaced atomically.

            Examples:
              zt crypto keygen --type aes-256-gcm --out data.key
              zt crypto keygen --type p256 --out svc.pem --public-out svc.pub.pem
            """
    )

    @Option(name: .long, help: "Key type: \(KeyKind.allCases.map(\.rawValue).joined(separator: ", ")).")
    var type: KeyKind

    @Option(name: .long, help: "Where to write the secret or private key.")
    var out: String

    @Option(name: .long, help: "Where to write the public key (asymmetric types only).")
    var publicOut: String?

    @Flag(name: .long, help: "Print a JSON summary.")
    var json = false

    func validate() throws {
        if type.isSymmetric && publicOut != nil {
            throw ValidationError("--public-out applies to asymmetric key types only")
        }
    }

    func run() throws {
        var publicPEM: String?
        switch type {
        case .aes256GCM, .chacha20Poly1305, .xchacha20Poly1305, .hmacSHA256:
            try SymmetricKeyFile.write(SymmetricKey(size: .bits256), to: out)
        case .ed25519:
            let key = try Ed25519.PrivateKey()
            try write(try key.pemRepresentation)
            publicPEM = try key.publicKey.pemRepresentation
        case .p256:
            let key = try P256.PrivateKey()
            try write(try key.pemRepresentation)
            publicPEM = try key.publicKey.pemRepresentation
        case .p384:
            let key = try P384.PrivateKey()
            try write(try key.pemRepresentation)
            publicPEM = try key.publicKey.pemRepresentation
        case .rsa2048, .rsa3072, .rsa4096:
            let bits = Int(type.rawValue.dropFirst(3)) ?? 3072
            let key = try RSA.PrivateKey(keySize: bits)
            try write(try key.pemRepresentation)
            publicPEM = try key.publicKey.pemRepresentation
        case .x25519:
            let key = try X25519.PrivateKey()
            try write(try key.pemRepresentation)
            publicPEM = try key.publicKey.pemRepresentation
        }
        if let publicOut, let publicPEM {
            try InputFiles.writePublic(Array(publicPEM.utf8), to: publicOut)
        }
        if json {
            var summary: [String: Any] = ["type": type.rawValue, "out": out]
            if let publicOut { summary["public_out"] = publicOut }
            JSONOutput.print(summary)
        } else {
            FileHandleOutput.standardOutput.write("wrote \(type.rawValue) key to \(out)\(publicOut.map { " and public key to \($0)" } ?? "")\n")
        }
    }

    private func write(_ pem: String) throws {
        try loading("cannot write \(out)") { try SecretFile.write(pem, to: out) }
    }
}
