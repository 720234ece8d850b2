import ArgumentParser
import Foundation
import ZeroTrustIdentity

/// `zt cert`: inspect and verify X.509 certificates.
struct CertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cert",
        abstract: "Inspect certificates and verify chains as an mTLS server would.",
        discussion: """
            Examples:
              zt cert inspect alice.pem
              zt cert verify --ca dev-ca/root.pem alice.pem
              zt cert verify --ca roots.pem --crl root.crl --crl int.crl --trust-domain corp.example svid.pem
            """,
        subcommands: [CertInspectCommand.self, CertVerifyCommand.self]
    )
}

/// `zt cert inspect`.
struct CertInspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Print every certificate of a PEM or DER file as JSON, one object per line.",
        discussion: """
            Example:
              zt cert inspect alice.pem | jq .subjectAlternativeNames
            """
    )

    @Argument(help: "Certificate file (PEM bundle or DER), or - for stdin.")
    var file: String

    func run() throws {
        let certificates = try identityInput(file) { try Certificate.parse(try InputFiles.data(file)) }
        for certificate in certificates {
            JSONOutput.print(IdentityJSON.certificate(certificate))
        }
    }
}

/// `zt cert verify`.
struct CertVerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify a certificate chain; print the identity (exit 0) or the error (exit 1) as JSON.",
        discussion: """
            The first certificate of CERT is the leaf; any others in CERT, and those in --intermediates,
            may be used as intermediates. Verification is strict: RFC 5280 path validation by OpenSSL
            with X509_STRICT, no CA leaf, EKU for the purpose, name constraints, RSA >= 2048 / P-256 /
            P-384 / Ed25519 only, SHA-2 or EdDSA signatures, host names from subjectAltName only.
            With --crl, every certificate below the root needs a current CRL from its issuer.

            On failure stdout holds {"error":{"code":…,"message":…,"certificateIndex":…,"certificateSubject":…}}
            where certificateIndex 0 is the leaf.

            Examples:
              zt cert verify --ca dev-ca/root.pem alice.pem
              zt cert verify --ca roots.pem --purpose server --hostname api.corp.example --at 2026-06-01T00:00:00Z api.pem
              zt cert verify --ca roots.pem --crl root.crl --crl int.crl --trust-domain corp.example svid.pem
            """
    )

    enum Purpose: String, ExpressibleByArgument, CaseIterable { case client, server }

    @Option(name: .long, help: "Trust anchors: PEM bundle, DER file, or a directory of .pem/.crt/.cer files.")
    var ca: String

    @Option(name: .long, help: "Extra intermediate certificates (PEM bundle or DER).")
    var intermediates: String?

    @Option(name: .long, parsing: .singleValue, help: "CRL file (PEM or DER); repeatable.")
    var crl: [String] = []

    @Option(name: .long, help: "Verification time: RFC 3339 (2026-06-01T00:00:00Z) or Unix seconds. Default now.")
    var at: String?

    @Option(name: .long, help: "client (default) or server.")
    var purpose: Purpose = .client

    @Option(name: .long, help: "Expected DNS name or IP address in the leaf's subjectAltName (server purpose).")
    var hostname: String?

    @Option(name: .long, help: "Maximum number of intermediate CAs (default 4).")
    var maxDepth: Int = 4

    @Option(name: .long, help: "Require an X509-SVID in this SPIFFE trust domain.")
    var trustDomain: String?

    @Argument(help: "Certificate to verify (PEM bundle, leaf first, or DER), or - for stdin.")
    var cert: String

    func validate() throws {
        if hostname != nil && purpose != .server { throw ValidationError("--hostname requires --purpose server") }
        guard (0...32).contains(maxDepth) else { throw ValidationError("--max-depth must be between 0 and 32") }
        if let trustDomain, !SPIFFEID.isValidTrustDomain(trustDomain) {
            throw ValidationError("--trust-domain '\(trustDomain)' is not a valid SPIFFE trust domain")
        }
    }

    func run() throws {
        let presented = try identityInput(cert) { try Certificate.parse(try InputFiles.data(cert)) }
        guard let leaf = presented.first else { throw CommandFailure.badInput("\(cert): no certificate") }
        var extra = Array(presented.dropFirst())
        if let intermediates {
            extra += try identityInput(intermediates) { try Certificate.parse(try InputFiles.data(intermediates)) }
        }
        let store = try identityInput("--ca") { try TrustStore(contentsOf: ca) }
        var policy = VerificationPolicy(verificationTime: try Self.time(at), maximumDepth: maxDepth)
        policy.purpose = purpose == .server ? .serverAuth(expectedName: hostname) : .clientAuth
        for file in crl {
            policy.crls += try identityInput(file) { try CertificateRevocationList.parse(try InputFiles.data(file)) }
        }
        do {
            let chain = try ChainVerifier(trustStore: store, policy: policy).verify(leaf, intermediates: extra)
            let identity = try ClientIdentity(chain: chain, requiredTrustDomain: trustDomain)
            JSONOutput.print(IdentityJSON.identity(identity, chain: chain))
        } catch {
            JSONOutput.print(["error": IdentityJSON.error(error)])
            throw ExitCode(1)
        }
    }

    static func time(_ text: String?) throws -> Date? {
        guard let text else { return nil }
        let formatter = ISO8601DateFormatter()
        var date = Int64(text).map { Date(timeIntervalSince1970: TimeInterval($0)) } ?? formatter.date(from: text)
        if date == nil {
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            date = formatter.date(from: text)
        }
        // Years 1970–9999: what an X.509 verification time can be.
        guard let date, date.timeIntervalSince1970 >= 0, date.timeIntervalSince1970 <= 253_402_300_799 else {
            throw CommandFailure.badInput("--at '\(text)' is not an RFC 3339 time or Unix seconds between 1970 and 9999")
        }
        return date
    }
}
