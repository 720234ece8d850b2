import Foundation
import Testing
import ZeroTrustCrypto
@testable import ZeroTrustIdentity

/// A fixed clock for every test: 2026-05-28T20:26:40Z. Nothing reads the wall clock.
let t0 = Date(timeIntervalSince1970: 1_780_000_000)
let oneDay: TimeInterval = 86_400

/// A root → intermediate CA made once per process (key generation is the slow part).
let sharedCA: DevelopmentCA = {
    do {
        return try DevelopmentCA.create(name: "Test", intermediate: true, now: t0)
    } catch {
        preconditionFailure("cannot create the test CA: \(error)")
    }
}()

func clientRequest(_ cn: String = "alice", usage: DevelopmentCA.Usage = .client) -> DevelopmentCA.LeafRequest {
    var request = DevelopmentCA.LeafRequest(commonName: cn)
    request.organizations = ["Corp"]
    request.organizationalUnits = ["ML"]
    request.usage = usage
    return request
}

func verifier(_ ca: DevelopmentCA = sharedCA, at time: Date = t0.addingTimeInterval(oneDay),
              configure: (inout VerificationPolicy) -> Void = { _ in }) throws -> ChainVerifier {
    var policy = VerificationPolicy(verificationTime: time)
    configure(&policy)
    return ChainVerifier(trustStore: try TrustStore(anchors: [ca.root]), policy: policy)
}

/// The error `body` throws; records a failure when it throws nothing.
func certificateError(_ body: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) -> CertificateError? {
    do {
        try body()
        Issue.record("expected a CertificateError, got success", sourceLocation: sourceLocation)
        return nil
    } catch let error as CertificateError {
        return error
    } catch {
        Issue.record("expected a CertificateError, got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

/// Issues a certificate directly with the crypto layer, for shapes DevelopmentCA refuses to make
/// (CA leaves, weak keys, leaves that sign). Returns the certificate and its key.
func rawIssue(subject cn: String, key spec: X509KeySpec = .ecP256, extensions: [(name: String, value: String)],
              issuer: (Certificate, X509PrivateKey)?, notBefore: Date = t0, days: Double = 30) throws -> (Certificate, X509PrivateKey) {
    let key = try X509PrivateKey.generate(spec)
    let start = Int64(notBefore.timeIntervalSince1970)
    let template = X509CertificateTemplate(subject: [X509NameAttribute(shortName: "CN", value: cn)], notBefore: start,
                                           notAfter: start + Int64(days * oneDay), extensions: extensions)
    let handle = try X509Builder.issue(template, subjectKey: key, issuer: issuer.map { ($0.0.handle, $0.1) })
    return (Certificate(handle: handle), key)
}

let leafExtensions: [(name: String, value: String)] = [
    ("basicConstraints", "critical,CA:FALSE"), ("keyUsage", "critical,digitalSignature"),
    ("extendedKeyUsage", "clientAuth"), ("subjectKeyIdentifier", "hash"), ("authorityKeyIdentifier", "keyid:always"),
]

/// The intermediate of `sharedCA` with its key, for issuing odd leaves.
var sharedIntermediate: (Certificate, X509PrivateKey) {
    get throws {
        (try #require(sharedCA.intermediate), try #require(sharedCA.intermediateKey))
    }
}
