import Foundation
import Testing
import ZeroTrustCrypto
@testable import ZeroTrustIdentity

@Suite("SPIFFE IDs and X509-SVIDs")
struct SPIFFEIDTests {
    /// The SPIFFE ID specification's own examples (SPIFFE-ID.md §2.2) and edge cases it allows.
    @Test("valid SPIFFE IDs", arguments: [
        ("spiffe://staging.example.com/payments/mysql", "staging.example.com", "/payments/mysql"),
        ("spiffe://staging.example.com/payments/web-fe", "staging.example.com", "/payments/web-fe"),
        ("spiffe://k8s-west.example.com/ns/staging/sa/default", "k8s-west.example.com", "/ns/staging/sa/default"),
        ("spiffe://example.com/9eebccd2-12bf-40a6-b262-65fe0487d453", "example.com", "/9eebccd2-12bf-40a6-b262-65fe0487d453"),
        ("spiffe://trust-domain-name/path", "trust-domain-name", "/path"),
        ("spiffe://example.org", "example.org", ""),
        ("spiffe://td_1.example-2/A.b_C-d/..x/x..", "td_1.example-2", "/A.b_C-d/..x/x.."),
    ])
    func valid(_ text: String, _ trustDomain: String, _ path: String) throws {
        let id = try SPIFFEID(parsing: text)
        #expect(id.trustDomain == trustDomain)
        #expect(id.path == path)
        #expect(id.description == text)
    }

    /// Each breaks one rule of SPIFFE-ID.md §2 (scheme, trust domain characters, no userinfo or
    /// port, path segments, no query or fragment, no percent-encoding, length).
    @Test("invalid SPIFFE IDs", arguments: [
        "",
        "spiffe://",
        "spiffe:///path",
        "SPIFFE://example.org/path",
        "Spiffe://example.org/path",
        "http://example.org/path",
        "spiffe:example.org/path",
        "spiffe//example.org/path",
        "spiffe://Example.org/path",
        "spiffe://exa mple.org/path",
        "spiffe://example.org:8080/path",
        "spiffe://user@example.org/path",
        "spiffe://user:pass@example.org/path",
        "spiffe://example.org/path?query=1",
        "spiffe://example.org/path#fragment",
        "spiffe://example.org?query",
        "spiffe://example.org#fragment",
        "spiffe://example.org/",
        "spiffe://example.org/path/",
        "spiffe://example.org//path",
        "spiffe://example.org/a//b",
        "spiffe://example.org/./path",
        "spiffe://example.org/path/..",
        "spiffe://example.org/a/../b",
        "spiffe://example.org/%41",
        "spiffe://ex%61mple.org/path",
        "spiffe://example.org/pa th",
        "spiffe://example.org/päth",
        "spiffe://éxample.org/path",
        "spiffe://example.org/" + String(repeating: "a", count: 2048),
        "spiffe://" + String(repeating: "a", count: 256) + "/path",
    ])
    func invalid(_ text: String) {
        let error = certificateError { _ = try SPIFFEID(parsing: text) }
        #expect(error?.code == .invalidSPIFFEID, "\(text)")
        #expect(SPIFFEID(text) == nil)
    }

    @Test("Codable round trip validates on decode")
    func codable() throws {
        let id = try SPIFFEID(parsing: "spiffe://corp.example/ml/trainer")
        let data = try JSONEncoder().encode([id])
        #expect(String(decoding: data, as: UTF8.self) == #"["spiffe:\/\/corp.example\/ml\/trainer"]"#)
        #expect(try JSONDecoder().decode([SPIFFEID].self, from: data) == [id])
        #expect(throws: (any Error).self) { try JSONDecoder().decode([SPIFFEID].self, from: Data(#"["spiffe://corp.example/a/"]"#.utf8)) }
    }

    @Test("an X509-SVID's identity carries its SPIFFE ID; the trust domain can be required")
    func svidIdentity() throws {
        var request = clientRequest("trainer")
        request.spiffeID = try SPIFFEID(parsing: "spiffe://corp.example/ml/trainer")
        request.dnsNames = ["trainer.corp.example"]
        let issued = try sharedCA.issue(request, now: t0)
        let chain = try verifier().verify(issued.certificate, intermediates: issued.intermediates)
        let identity = try ClientIdentity(chain: chain, requiredTrustDomain: "corp.example")
        #expect(identity.spiffeID?.description == "spiffe://corp.example/ml/trainer")
        #expect(identity.commonName == "trainer")
        #expect(identity.organizations == ["Corp"])
        #expect(identity.organizationalUnits == ["ML"])
        #expect(identity.fingerprint == issued.certificate.fingerprint.hexString)
        #expect(identity.notAfter == issued.certificate.notAfter)
        #expect(identity.subjectAlternativeNames.contains(.dnsName("trainer.corp.example")))
        let wrongDomain = certificateError { _ = try ClientIdentity(chain: chain, requiredTrustDomain: "other.example") }
        #expect(wrongDomain?.code == .invalidSPIFFEID)
    }

    @Test("a leaf without a SPIFFE ID has none, and fails a required trust domain")
    func noSVID() throws {
        let issued = try sharedCA.issue(clientRequest(), now: t0)
        let chain = try verifier().verify(issued.certificate, intermediates: issued.intermediates)
        #expect(try ClientIdentity(chain: chain).spiffeID == nil)
        let error = certificateError { _ = try ClientIdentity(chain: chain, requiredTrustDomain: "corp.example") }
        #expect(error?.code == .invalidSPIFFEID)
    }

    @Test("X509-SVID rules: one URI SAN only, a valid ID, digitalSignature, no keyCertSign/cRLSign", arguments: [
        ("URI:spiffe://corp.example/a,URI:spiffe://corp.example/b", "critical,digitalSignature"),
        ("URI:spiffe://corp.example/a,URI:https://corp.example/", "critical,digitalSignature"),
        ("URI:spiffe://corp.example/a/", "critical,digitalSignature"),
        ("URI:spiffe://Corp.example/a", "critical,digitalSignature"),
        ("URI:spiffe://corp.example/a", "critical,digitalSignature,cRLSign"),
        ("URI:spiffe://corp.example/a", "critical,keyEncipherment"),
    ])
    func svidRules(_ san: String, _ keyUsage: String) throws {
        let extensions: [(name: String, value: String)] = [
            ("basicConstraints", "critical,CA:FALSE"), ("keyUsage", keyUsage), ("extendedKeyUsage", "clientAuth"),
            ("subjectKeyIdentifier", "hash"), ("authorityKeyIdentifier", "keyid:always"), ("subjectAltName", san),
        ]
        let (leaf, _) = try rawIssue(subject: "svid", extensions: extensions, issuer: try sharedIntermediate)
        let error = certificateError { _ = try ClientIdentity(leaf: leaf, requiredTrustDomain: nil) }
        #expect(error?.code == .invalidSPIFFEID, "\(san) \(keyUsage)")
        #expect(error?.certificateIndex == 0)
    }

    @Test("an X509-SVID without keyUsage is refused")
    func svidWithoutKeyUsage() throws {
        let extensions: [(name: String, value: String)] = [
            ("basicConstraints", "critical,CA:FALSE"), ("subjectKeyIdentifier", "hash"),
            ("authorityKeyIdentifier", "keyid:always"), ("subjectAltName", "URI:spiffe://corp.example/a"),
        ]
        let (leaf, _) = try rawIssue(subject: "svid", extensions: extensions, issuer: try sharedIntermediate)
        let error = certificateError { _ = try ClientIdentity(leaf: leaf, requiredTrustDomain: nil) }
        #expect(error?.code == .invalidSPIFFEID)
    }
}
