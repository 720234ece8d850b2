import ArgumentParser
import Foundation
import ZeroTrustIdentity

/// `zt ca`: a development certificate authority.
struct CACommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ca",
        abstract: "A development CA for tests, demos and local mTLS set-ups (not a production CA).",
        discussion: """
            Keys are plain PEM files with mode 0600 in the CA directory; there is no issuance policy,
            audit or OCSP. Use a real PKI for production.

            Examples:
              zt ca init --dir dev-ca --name "Dev" --intermediate
              zt ca issue --dir dev-ca --cn trainer --org Corp --ou ML \\
                  --spiffe-id spiffe://corp.example/ml/trainer --client --out-cert trainer.pem --out-key trainer-key.pem
            """,
        subcommands: [CAInitCommand.self, CAIssueCommand.self]
    )
}

/// Key types accepted on the command line (DevelopmentCA's, by their raw names).
enum KeyTypeArgument: String, ExpressibleByArgument, CaseIterable {
    case p256, ed25519, rsa2048

    var keyType: DevelopmentCA.KeyType {
        switch self {
        case .p256: .p256
        case .ed25519: .ed25519
        case .rsa2048: .rsa2048
        }
    }
}

/// `zt ca init`.
struct CAInitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a root CA (and optionally an intermediate) in a directory.",
        discussion: """
            Writes root.pem and root-key.pem (mode 0600), plus intermediate.pem and intermediate-key.pem
            with --intermediate. Refuses a directory that already holds a CA. Prints a JSON summary.

            Example:
              zt ca init --dir dev-ca --name "Dev" --intermediate --key-type ed25519
            """
    )

    @Option(name: .long, help: "Directory for the CA's files (created with mode 0700).")
    var dir: String

    @Option(name: .long, help: "CA name: subject O, and CN '<name> Root CA' / '<name> Intermediate CA'.")
    var name: String

    @Flag(name: .long, help: "Also create an intermediate CA (pathlen 0) that issues the leaves.")
    var intermediate = false

    @Option(name: .long, help: "p256 (default), ed25519 or rsa2048.")
    var keyType: KeyTypeArgument = .p256

    @Option(name: .long, help: "Validity of the CA certificates in days (default 3650).")
    var days: Int = 3650

    @Option(name: .long, parsing: .singleValue, help: "Permit only this DNS subtree (nameConstraints); repeatable.")
    var permitDns: [String] = []

    func validate() throws {
        guard days > 0, days <= 36_500 else { throw ValidationError("--days must be between 1 and 36500") }
    }

    func run() throws {
        let rootKey = (dir as NSString).appendingPathComponent("root-key.pem")
        if FileManager.default.fileExists(atPath: rootKey) {
            throw CommandFailure.badInput("\(dir) already holds a CA (\(rootKey) exists)")
        }
        let ca = try identityInput("cannot create the CA") {
            try DevelopmentCA.create(name: name, keyType: keyType.keyType, intermediate: intermediate,
                                     permittedDNSDomains: permitDns, validity: TimeInterval(days) * 86_400)
        }
        try identityInput("cannot write the CA") { try ca.write(to: dir) }
        var summary: [String: Any] = ["root": IdentityJSON.certificate(ca.root)]
        if let intermediate = ca.intermediate { summary["intermediate"] = IdentityJSON.certificate(intermediate) }
        JSONOutput.print(summary)
    }
}

/// `zt ca issue`.
struct CAIssueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "issue",
        abstract: "Issue a client or server leaf certificate from a CA made by `zt ca init`.",
        discussion: """
            --out-cert receives the leaf followed by the intermediate (what a TLS peer presents);
            --out-key receives the new private key, PKCS#8 PEM, mode 0600. Prints the leaf as JSON.

            Examples:
              zt ca issue --dir dev-ca --cn alice --org Corp --ou ML --client --out-cert alice.pem --out-key alice-key.pem
              zt ca issue --dir dev-ca --cn api --dns api.corp.example --ip 10.0.0.5 --server --days 90 \\
                  --out-cert api.pem --out-key api-key.pem
            """
    )

    @Option(name: .long, help: "Directory of the CA.")
    var dir: String

    @Option(name: .long, help: "Subject common name.")
    var cn: String

    @Option(name: .long, parsing: .singleValue, help: "Subject organization (O); repeatable.")
    var org: [String] = []

    @Option(name: .long, parsing: .singleValue, help: "Subject organizational unit (OU); repeatable.")
    var ou: [String] = []

    @Option(name: .long, parsing: .singleValue, help: "dNSName SAN; repeatable.")
    var dns: [String] = []

    @Option(name: .long, parsing: .singleValue, help: "iPAddress SAN (IPv4 or IPv6); repeatable.")
    var ip: [String] = []

    @Option(name: .long, parsing: .singleValue, help: "rfc822Name SAN; repeatable.")
    var email: [String] = []

    @Option(name: .long, help: "SPIFFE ID, added as the URI SAN (X509-SVID).")
    var spiffeId: String?

    @Flag(name: .long, help: "clientAuth extended key usage (the default).")
    var client = false

    @Flag(name: .long, help: "serverAuth extended key usage; with --client, both.")
    var server = false

    @Option(name: .long, help: "Validity in days (default 30).")
    var days: Int = 30

    @Option(name: .long, help: "p256 (default), ed25519 or rsa2048.")
    var keyType: KeyTypeArgument = .p256

    @Option(name: .long, help: "Where to write the certificate chain (PEM).")
    var outCert: String

    @Option(name: .long, help: "Where to write the private key (PEM, mode 0600).")
    var outKey: String

    func validate() throws {
        guard days > 0, days <= 3650 else { throw ValidationError("--days must be between 1 and 3650") }
    }

    func run() throws {
        let ca = try identityInput("cannot load the CA in \(dir)") { try DevelopmentCA.load(from: dir) }
        var request = DevelopmentCA.LeafRequest(commonName: cn)
        request.organizations = org
        request.organizationalUnits = ou
        request.dnsNames = dns
        request.ipAddresses = ip
        request.emails = email
        if let spiffeId {
            request.spiffeID = try identityInput("--spiffe-id") { try SPIFFEID(parsing: spiffeId) }
        }
        request.usage = server ? (client ? .clientAndServer : .server) : .client
        request.validity = TimeInterval(days) * 86_400
        request.keyType = keyType.keyType
        let issued = try identityInput("cannot issue") { try ca.issue(request) }
        try identityInput("cannot write") { try issued.write(certificateTo: outCert, privateKeyTo: outKey) }
        JSONOutput.print(IdentityJSON.certificate(issued.certificate))
    }
}

/// Runs `body`, turning a `CertificateError` raised while loading or creating input into exit code 2.
func identityInput<T>(_ what: String, _ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as CertificateError {
        throw CommandFailure.badInput("\(what): \(error.message)")
    }
}
