import Foundation
import Testing
import ZeroTrustCrypto
@testable import ZeroTrustIdentity

@Suite("Certificate parsing")
struct CertificateParsingTests {
    @Test("fields of an issued leaf")
    func fields() throws {
        var request = clientRequest("alice", usage: .clientAndServer)
        request.dnsNames = ["alice.corp.example"]
        request.ipAddresses = ["192.0.2.7", "2001:db8::7"]
        request.emails = ["alice@corp.example"]
        request.spiffeID = try SPIFFEID(parsing: "spiffe://corp.example/people/alice")
        request.validity = 10 * oneDay
        let leaf = try sharedCA.issue(request, now: t0).certificate
        #expect(leaf.subject.rfc2253 == "CN=alice,OU=ML,O=Corp")
        #expect(leaf.issuer == sharedCA.intermediate?.subject)
        #expect(leaf.notBefore == t0)
        #expect(leaf.notAfter == t0.addingTimeInterval(10 * oneDay))
        #expect(leaf.subjectAlternativeNames == [.dnsName("alice.corp.example"), .ipAddress("192.0.2.7"), .ipAddress("2001:db8::7"),
                                                 .uri("spiffe://corp.example/people/alice"), .email("alice@corp.example")])
        #expect(leaf.keyUsage == [.digitalSignature])
        #expect(leaf.extendedKeyUsage == [.serverAuth, .clientAuth])
        #expect(leaf.basicConstraints == BasicConstraints(isCertificateAuthority: false, pathLengthConstraint: nil))
        #expect(!leaf.isCertificateAuthority)
        #expect(leaf.publicKey.algorithm == "EC")
        #expect(leaf.publicKey.curve == .p256)
        #expect(leaf.signatureAlgorithm == .ecdsaWithSHA256)
        #expect(leaf.serialNumber.count == 32)
        #expect(leaf.fingerprint == (try SHA2.hash(leaf.derRepresentation, using: .sha256)))
        #expect(sharedCA.intermediate?.basicConstraints == BasicConstraints(isCertificateAuthority: true, pathLengthConstraint: 0))
    }

    @Test("PEM and DER round trips; bundles keep order")
    func roundTrips() throws {
        let issued = try sharedCA.issue(clientRequest(), now: t0)
        let leaf = issued.certificate
        #expect(try Certificate(derEncoded: leaf.derRepresentation) == leaf)
        #expect(try Certificate(pemEncoded: leaf.pemRepresentation) == leaf)
        #expect(try Certificate.parseBundle(pemEncoded: issued.chainPEM) == [leaf] + issued.intermediates)
        #expect(try Certificate.parse(leaf.derRepresentation) == [leaf])
        #expect(try Certificate.parse(Array(issued.chainPEM.utf8)).count == 2)
    }

    @Test("malformed input gives typed errors", arguments: [
        "",
        "garbage",
        "-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n",
        "-----BEGIN CERTIFICATE-----\nMIIB\n",
        "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
    ])
    func malformedPEM(_ text: String) {
        let error = certificateError { _ = try Certificate(pemEncoded: text) }
        #expect(error?.code == .malformed)
    }

    @Test("a PEM block of the wrong type is malformed and names the label")
    func wrongType() throws {
        let issued = try sharedCA.issue(clientRequest(), now: t0)
        let keyPEM = issued.privateKeyPEM.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
        let error = certificateError { _ = try Certificate(pemEncoded: keyPEM) }
        #expect(error?.code == .malformed)
        #expect(error?.message.contains("PRIVATE KEY") == true)
        #expect(error?.message.contains("BEGIN") == false) // never echoes key material
        let crl = try sharedCA.revocationList(revoking: [], now: t0)
        let crlError = certificateError { _ = try Certificate.parseBundle(pemEncoded: issued.chainPEM + crl.pemRepresentation) }
        #expect(crlError?.message.contains("block 3") == true)
    }

    @Test("truncated, extended and garbage DER are malformed")
    func malformedDER() throws {
        let der = try sharedCA.issue(clientRequest(), now: t0).certificate.derRepresentation
        for bytes in [Array(der.prefix(der.count / 2)), Array(der.dropLast()), der + [0x00], [0x30, 0x03, 0x02, 0x01, 0x01], [0xFF, 0xFF], []] {
            let error = certificateError { _ = try Certificate(derEncoded: bytes) }
            #expect(error?.code == .malformed)
        }
        let crlError = certificateError { _ = try CertificateRevocationList(derEncoded: Array(der.prefix(10))) }
        #expect(crlError?.code == .malformed)
    }

    @Test("times and durations that cannot be encoded are invalidParameter, not a crash")
    func unencodableTimes() throws {
        for validity in [0, -1, .infinity, .nan, 1e12] as [TimeInterval] {
            var request = clientRequest()
            request.validity = validity
            #expect(certificateError { _ = try sharedCA.issue(request, now: t0) }?.code == .invalidParameter, "\(validity)")
            #expect(certificateError { _ = try sharedCA.revocationList(revoking: [], validity: validity, now: t0) }?.code == .invalidParameter)
        }
        let farFuture = Date(timeIntervalSince1970: 1e15)
        #expect(certificateError { _ = try sharedCA.issue(clientRequest(), now: farFuture) }?.code == .invalidParameter)
        #expect(certificateError { _ = try DevelopmentCA.create(name: "X", validity: .infinity, now: t0) }?.code == .invalidParameter)
        let issued = try sharedCA.issue(clientRequest(), now: t0)
        let error = certificateError { _ = try verifier(at: farFuture).verify(issued.certificate, intermediates: issued.intermediates) }
        #expect(error?.code == .invalidParameter)
    }

    @Test("DevelopmentCA writes keys 0600, reads itself back, and refuses unsafe SAN values")
    func files() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("zt-ca-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try sharedCA.write(to: directory)
        for name in ["root-key.pem", "intermediate-key.pem"] {
            let attributes = try FileManager.default.attributesOfItem(atPath: directory + "/" + name)
            #expect((attributes[.posixPermissions] as? Int) == 0o600)
        }
        let loaded = try DevelopmentCA.load(from: directory)
        #expect(loaded.root == sharedCA.root)
        #expect(loaded.intermediate == sharedCA.intermediate)
        let issued = try loaded.issue(clientRequest(), now: t0)
        _ = try verifier().verify(issued.certificate, intermediates: issued.intermediates)
        try issued.write(certificateTo: directory + "/leaf.pem", privateKeyTo: directory + "/leaf-key.pem")
        let keyAttributes = try FileManager.default.attributesOfItem(atPath: directory + "/leaf-key.pem")
        #expect((keyAttributes[.posixPermissions] as? Int) == 0o600)

        for (dns, uri) in [("a,DNS:evil.example", nil), (nil, "https://x,DNS:evil.example"), ("exa mple", nil)] as [(String?, String?)] {
            var request = clientRequest()
            request.dnsNames = dns.map { [$0] } ?? []
            request.uris = uri.map { [$0] } ?? []
            let error = certificateError { _ = try sharedCA.issue(request, now: t0) }
            #expect(error?.code == .invalidParameter)
        }
    }
}
