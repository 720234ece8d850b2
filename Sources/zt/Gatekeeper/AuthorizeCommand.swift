import ArgumentParser
import Foundation
import ZeroTrustKit

/// `zt authorize`: one request through a gatekeeper configured from `zt.yaml`.
struct AuthorizeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "authorize",
        abstract: "Authenticate a credential and authorize one request through the gatekeeper.",
        discussion: """
            Loads the gatekeeper from --config (see Documentation/CLI.md for zt.yaml), authenticates exactly one \
            credential (--cert with --key, --token, or --api-key), asks the policy, records the outcome in the \
            configured audit destinations and prints the outcome as one line of JSON with sorted keys: granted, \
            subject, decision {authorized, policy_id, ttl, reason, obligations, policy_version, explanation}, \
            authentication_failure, token and token_expires_at (when granted), audit_event_id.
            Exits 0 when granted, 1 when denied, 2 on bad usage or an unreadable or invalid configuration.

            Examples:
              zt authorize --config zt.yaml --token "$TOKEN" --action read_data \\
                --resource-type dataset --resource-id customers --attr sensitivity=low --ip 10.1.2.3
              zt authorize --config zt.yaml --cert bob.pem --key bob.key --action deploy_model \\
                --resource-type model --resource-id fraud-v3 --attr stage=production --approval "$APPROVAL" --explain
              zt authorize --config zt.yaml --api-key "$KEY" --action read_metrics --resource-type training_cluster \\
                --resource-id gpu-1 --attr environment=dev --at 2026-11-24T10:00:00Z
            """
    )

    @Option(name: .long, help: "The gatekeeper configuration (zt.yaml).") var config: String
    @Option(name: .long, help: "Client certificate chain (PEM, leaf first); needs --key.") var cert: String?
    @Option(name: .long, help: "The certificate's private key (PEM), proving possession.") var key: String?
    @Option(name: .long, help: "A bearer token.") var token: String?
    @Option(name: [.customLong("api-key")], help: "An API key (ztk_<id>_<secret>).") var apiKey: String?
    @Option(name: .long, help: "The action, e.g. read_data.") var action: String
    @Option(name: [.customLong("resource-type")], help: "The resource type, e.g. dataset.") var resourceType: String
    @Option(name: [.customLong("resource-id")], help: "The resource id.") var resourceID: String
    @Option(name: .long, help: "A resource attribute KEY=VALUE; repeatable.") var attr: [String] = []
    @Option(name: .long, help: "The client's IP address.") var ip: String?
    @Option(name: .long, help: "A signed approval token (typ approval+jwt); repeatable.") var approval: [String] = []
    @Option(name: .long, help: "Decide as of this time (RFC 3339 or UNIX seconds) instead of now.") var at: String?
    @Flag(name: .long, help: "Include the policy engine's per-policy explanation.") var explain = false

    func run() async throws {
        let credential = try readCredential()
        var attributes: [String: String] = [:]
        for pair in attr {
            guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex else {
                throw CommandFailure.badInput("--attr \(pair) is not KEY=VALUE")
            }
            attributes[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
        }
        let address: IPAddress?
        if let ip {
            guard let parsed = IPAddress(ip) else { throw CommandFailure.badInput("--ip \(ip) is not an IP address") }
            address = parsed
        } else {
            address = nil
        }
        let time = try at.map { try TimeArgument.parse($0) }
        let clock: @Sendable () -> Date = if let time { { time } } else { { Date() } }
        let gatekeeper: Gatekeeper
        do {
            // Standard output carries the outcome line alone: `stdout` audit events go to stderr.
            gatekeeper = try Gatekeeper(try GatekeeperConfigurationFile.load(path: config, clock: clock, standardOutputDescriptor: 2))
        } catch {
            throw CommandFailure.badInput(error.message)
        }
        let outcome = await gatekeeper.authorize(
            credential: credential, action: Action(rawValue: action),
            resource: .init(type: ResourceType(rawValue: resourceType), id: resourceID, attributes: attributes),
            context: .init(ip: address, approvalTokens: approval, explain: explain))
        do { try await gatekeeper.auditLog.close() } catch {
            FileHandleOutput.standardError.write("zt: warning: closing the audit log failed: \(error)\n")
        }
        FileHandleOutput.standardOutput.write(OutcomeJSON.line(outcome))
        if !outcome.granted { throw ExitCode(1) }
    }

    private func readCredential() throws -> Credential {
        let given = [cert != nil, token != nil, apiKey != nil].filter { $0 }.count
        guard given == 1 else { throw CommandFailure.badInput("give exactly one of --cert/--key, --token or --api-key") }
        guard key == nil || cert != nil else { throw CommandFailure.badInput("--key needs --cert") }
        if let token { return .bearerToken(token) }
        if let apiKey { return .apiKey(apiKey) }
        guard let cert, let key else { throw CommandFailure.badInput("--cert needs --key") }
        let pem = String(decoding: try InputFiles.data(cert), as: UTF8.self)
        let chain: [Certificate]
        do { chain = try Certificate.parseBundle(pemEncoded: pem) } catch { throw CommandFailure.badInput("\(cert): \(error.message)") }
        guard let leaf = chain.first else { throw CommandFailure.badInput("\(cert) holds no certificate") }
        let keyPEM = try loading("cannot read \(key)") { try SecretFile.readText(key) }
        try CertificateKey.requireMatch(certificate: leaf, keyPEM: keyPEM, keyPath: key)
        return .clientCertificate(chain)
    }
}
