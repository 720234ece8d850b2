import ArgumentParser
import ZeroTrustCrypto

/// `zt crypto sign`.
struct SignCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign",
        abstract: "Sign a file; prints the signature as base64url.",
        discussion: """
            Ed25519 keys sign with EdDSA, P-256/P-384 keys with ECDSA (r ‖ s, as in JWS ES256/ES384),
            RSA keys with RSASSA-PSS and SHA-256 (as in JWS PS256).

            Example:
              zt crypto sign --key signer.pem model.bin > model.sig
            """
    )

    @Option(name: .long, help: "Private key (PKCS#8 PEM).")
    var key: String

    @Argument(help: "File to sign, or - for stdin.")
    var input: String

    func run() throws {
        let signingKey = try AnySigningKey.load(key)
        let signature = try signingKey.sign(try InputFiles.data(input))
        FileHandleOutput.standardOutput.write(Base64.encode(signature, variant: .urlSafeUnpadded) + "\n")
    }
}

/// `zt crypto verify`.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify a signature made by `zt crypto sign`: exit 0 valid, 1 invalid.",
        discussion: """
            Example:
              zt crypto verify --public-key signer.pub.pem --signature="$(cat model.sig)" model.bin
            """
    )

    @Option(name: .long, help: "Public key (SubjectPublicKeyInfo PEM).")
    var publicKey: String

    @Option(name: .long, help: "The signature, base64url; write --signature=SIG, since it may begin with '-'.")
    var signature: String

    @Flag(name: .long, help: "Print {\"valid\": true|false} as JSON.")
    var json = false

    @Argument(help: "Signed file, or - for stdin.")
    var input: String

    func run() throws {
        let key = try AnyVerifyingKey.load(publicKey)
        guard let signatureBytes = Base64.decode(signature.trimmingSuffixNewlines, variant: .urlSafeUnpadded) else {
            throw CommandFailure.badInput("--signature is not base64url")
        }
        let valid = key.isValid(signatureBytes, for: try InputFiles.data(input))
        if json {
            JSONOutput.print(["valid": valid])
        } else {
            FileHandleOutput.standardOutput.write(valid ? "valid\n" : "invalid\n")
        }
        if !valid { throw ExitCode(1) }
    }
}

/// `zt crypto hash`.
struct HashCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hash",
        abstract: "Hash a file; prints lowercase hex.",
        discussion: """
            Example:
              zt crypto hash --algorithm sha256 model.bin
            """
    )

    enum Algorithm: String, CaseIterable, ExpressibleByArgument {
        case sha256, sha384, sha512, blake2b
    }

    @Option(name: .long, help: "sha256 (default), sha384, sha512 or blake2b (32-byte output).")
    var algorithm: Algorithm = .sha256

    @Argument(help: "File to hash, or - for stdin.")
    var input: String

    func run() throws {
        let data = try InputFiles.data(input)
        let digest: Digest =
            switch algorithm {
            case .sha256: try SHA2.hash(data, using: .sha256)
            case .sha384: try SHA2.hash(data, using: .sha384)
            case .sha512: try SHA2.hash(data, using: .sha512)
            case .blake2b: try BLAKE2b.hash(data)
            }
        FileHandleOutput.standardOutput.write(digest.hexString + "\n")
    }
}

extension String {
    var trimmingSuffixNewlines: Substring {
        var text = Substring(self)
        while let last = text.last, last.isNewline || last == " " { text = text.dropLast() }
        return text
    }
}
