import ArgumentParser

/// `zt audit`: the tamper-evident audit log from the shell.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Record, verify, print and analyse tamper-evident audit logs.",
        discussion: """
            Examples:
              zt audit keygen --out audit-signer.pem            # also writes audit-signer.pem.pub
              zt crypto keygen --type hmac-sha256 --out audit-chain.key
              producer | zt audit record --log audit.log --signing-key audit-signer.pem --hmac-key audit-chain.key
              zt audit verify audit.log --public-key audit-signer.pem.pub --hmac-key audit-chain.key
              zt audit tail audit.log --format ocsf --count 20
              zt audit detect audit.log
            """,
        subcommands: [AuditKeygenCommand.self, AuditRecordCommand.self, AuditVerifyCommand.self, AuditTailCommand.self,
                      AuditDetectCommand.self]
    )
}
