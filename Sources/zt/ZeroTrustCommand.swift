import ArgumentParser
import ZeroTrustCrypto

/// The `zt` command line: ZeroTrustKit's public API from a shell.
///
/// Exit codes (stable): 0 success / allowed / valid, 1 denied / invalid / tampered,
/// 2 bad usage or unreadable input.
struct ZeroTrustCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "zt",
        abstract: "Zero Trust for ML pipelines: keys, encryption, signatures and policy from the shell.",
        discussion: """
            Exit codes: 0 success/allowed/valid, 1 denied/invalid/tampered, 2 bad usage or unreadable input.
            Errors go to stderr as one line.

            Examples:
              zt demo
              zt authorize --config zt.yaml --token "$TOKEN" --action read_data --resource-type dataset --resource-id customers
              zt policy eval --policy policies.yaml --request request.json --explain
              zt --generate-completion-script bash > /etc/bash_completion.d/zt
            """,
        version: LibraryVersions.zeroTrustKit,
        subcommands: [
            VersionCommand.self, CryptoCommand.self, TokenCommand.self, APIKeyCommand.self, CACommand.self, CertCommand.self,
            PolicyCommand.self, KMSCommand.self, EncryptCommand.self, DecryptCommand.self, RewrapCommand.self,
            EnvelopeCommand.self, AuditCommand.self, AuthorizeCommand.self, DemoCommand.self,
        ]
    )
}
