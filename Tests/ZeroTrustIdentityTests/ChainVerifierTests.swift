import Foundation
import Testing
import ZeroTrustCrypto
@testable import ZeroTrustIdentity

@Suite("ChainVerifier")
struct ChainVerifierTests {
    @Test("a root → intermediate → leaf chain verifies, leaf first and anchor last")
    func validChain() throws {
        let issued = try sharedCA.issue(clientRequest(), now: t0)
        let chain = try verifier().verify(issued.certificate, intermediates: issued.intermediates)
        #expect(chain.certificates.count == 3)
        #expect(chain.leaf == issued.certificate)
        #expect(chain.certificates[1] == sharedCA.intermediate)
        #expect(chain.anchor == sharedCA.root)
    }

    @Test("every key type of DevelopmentCA verifies", arguments: DevelopmentCA.KeyType.allCases)
    func keyTypes(_ keyType: DevelopmentCA.KeyType) throws {
        let ca = try DevelopmentCA.create(name: "K-\(keyType)", keyType: keyType, intermediate: true, now: t0)
        var request = clientRequest()
        request.keyType = keyType
        let issued = try ca.issue(request, now: t0)
        let chain = try verifier(ca).verify(issued.certificate, intermediates: issued.intermediates)
        let expected: SignatureAlgorithm =
            switch keyType {
            case .p256: .ecdsaWithSHA256
            case .ed25519: .ed25519
            case .rsa2048: .rsaPKCS1WithSHA256
            }
        #expect(chain.certificates.allSatisfy { $0.signatureAlgorithm == expected })
    }

    @Test("validity includes notAfter and notBefore to the second; one second outside fails")
    func validityBoundaries() throws {
        let issued = try sharedCA.issue(clientRequest(), now: t0.addingTimeInterval(100))
        let leaf = issued.certificate
        // RFC 5280 §4.1.2.5: valid at notAfter itself (OpenSSL alone reports this as expired).
        _ = try verifier(at: leaf.notAfter).verify(leaf, intermediates: issued.intermediates)
        _ = try verifier(at: leaf.notBefore).verify(leaf, intermediates: issued.intermediates)
        let expired = certificateError { _ = try verifier(at: leaf.notAfter.addingTimeInterval(1)).verify(leaf, intermediates: issued.intermediates) }
        #expect(expired?.code == .expired)
        #expect(expired?.certificateIndex == 0)
        #expect(expired?.certificateSubject == leaf.subject.rfc2253)
        let early = certificateError { _ = try verifier(at: leaf.notBefore.addingTimeInterval(-1)).verify(leaf, intermediates: issued.intermediates) }
        #expect(early?.code == .notYetValid)
        #expect(early?.certificateIndex == 0)
    }

    @Test("an expired intermediate is reported at index 1")
    func expiredIntermediate() throws {
        let (root, rootKey) = try rawIssue(subject: "Short Root", extensions: [("basicConstraints", "critical,CA:TRUE"), ("keyUsage", "critical,keyCertSign,cRLSign"), ("subjectKeyIdentifier", "hash")], issuer: nil, days: 3650)
        let (intermediate, intermediateKey) = try rawIssue(subject: "Short Intermediate", extensions: [("basicConstraints", "critical,CA:TRUE"), ("keyUsage", "critical,keyCertSign,cRLSign"), ("subjectKeyIdentifier", "hash"), ("authorityKeyIdentifier", "keyid:always")], issuer: (root, rootKey), days: 2)
        let (leaf, _) = try rawIssue(subject: "leaf", extensions: leafExtensions, issuer: (intermediate, intermediateKey), days: 30)
        let verifier = ChainVerifier(trustStore: try TrustStore(anchors: [root]), policy: VerificationPolicy(verificationTime: t0.addingTimeInterval(5 * oneDay)))
        let error = certificateError { _ = try verifier.verify(leaf, intermediates: [intermediate]) }
        #expect(error?.code == .expired)
        #expect(error?.certificateIndex == 1)
        #expect(error?.certificateSubject == "CN=Short Intermediate")
    }

    @Test("a chain to another root, or missing its intermediate, is untrustedRoot")
    func untrusted() throws {
        let issued = try sharedCA.issue(clientRequest(), now: t0)
        let other = try DevelopmentCA.create(name: "Other", now: t0)
        let error = certificateError { _ = try verifier(other).verify(issued.certificate, intermediates: issued.intermediates) }
        #expect(error?.code == .untrustedRoot)
        #expect(error?.certificateIndex == 1)
        let missing = certificateError { _ = try verifier().verify(issued.certificate) }
        #expect(missing?.code == .untrustedRoot)
        #expect(missing?.certificateIndex == 0)
    }

    @Test("a tampered signature is badSignature at the tampered certificate")
    func badSignature() throws {
        var request = clientRequest()
        request.keyType = .ed25519
        let ca = try DevelopmentCA.create(name: "Sig", keyType: .ed25519, now: t0)
        let issued = try ca.issue(request, now: t0)
        var der = issued.certificate.derRepresentation
        der[der.count - 1] ^= 0x01 // the last byte of the Ed25519 signature
        let tampered = try Certificate(derEncoded: der)
        let error = certificateError { _ = try verifier(ca).verify(tampered) }
        #expect(error?.code == .badSignature)
        #expect(error?.certificateIndex == 0)
    }

    @Test("CRLs: a revoked leaf (index 0) and a revoked intermediate (index 1)")
    func revocation() throws {
        let issued = try sharedCA.issue(clientRequest(), now: t0)
        let emptyRootCRL = try sharedCA.revocationList(revoking: [], signedBy: .root, now: t0)
        let emptyIntermediateCRL = try sharedCA.revocationList(revoking: [], signedBy: .intermediate, now: t0)
        // Not revoked: both CRLs present and empty.
        _ = try verifier { $0.crls = [emptyRootCRL, emptyIntermediateCRL] }.verify(issued.certificate, intermediates: issued.intermediates)

        let leafCRL = try sharedCA.revocationList(revoking: [issued.certificate], signedBy: .intermediate, number: 2, now: t0)
        let leafError = certificateError {
            _ = try verifier { $0.crls = [emptyRootCRL, leafCRL] }.verify(issued.certificate, intermediates: issued.intermediates)
        }
        #expect(leafError?.code == .revoked)
        #expect(leafError?.certificateIndex == 0)

        let intermediate = try #require(sharedCA.intermediate)
        let rootCRL = try sharedCA.revocationList(revoking: [intermediate], signedBy: .root, number: 2, now: t0)
        let intermediateError = certificateError {
            _ = try verifier { $0.crls = [rootCRL, emptyIntermediateCRL] }.verify(issued.certificate, intermediates: issued.intermediates)
        }
        #expect(intermediateError?.code == .revoked)
        #expect(intermediateError?.certificateIndex == 1)
        #expect(intermediateError?.certificateSubject == intermediate.subject.rfc2253)
    }

    @Test("CRLs given but one issuer's CRL missing or expired: revocationUnknown (fail closed)")
    func revocationUnknown() throws {
        let issued = try sharedCA.issue(clientRequest(), now: t0)
        let intermediateCRL = try sharedCA.revocationList(revoking: [], signedBy: .intermediate, now: t0)
        let missingRoot = certificateError {
            _ = try verifier { $0.crls = [intermediateCRL] }.verify(issued.certificate, intermediates: issued.intermediates)
        }
        #expect(missingRoot?.code == .revocationUnknown)
        #expect(missingRoot?.certificateIndex == 1)

        let rootCRL = try sharedCA.revocationList(revoking: [], signedBy: .root, validity: oneDay, now: t0)
        let stale = certificateError {
            _ = try verifier(at: t0.addingTimeInterval(2 * oneDay)) { $0.crls = [rootCRL, intermediateCRL] }
                .verify(issued.certificate, intermediates: issued.intermediates)
        }
        #expect(stale?.code == .revocationUnknown)
    }

    @Test("a server-only leaf is refused for client authentication: wrongPurpose")
    func wrongPurpose() throws {
        let issued = try sharedCA.issue(clientRequest(usage: .server), now: t0)
        let error = certificateError { _ = try verifier().verify(issued.certificate, intermediates: issued.intermediates) }
        #expect(error?.code == .wrongPurpose)
        #expect(error?.certificateIndex == 0)
        // The same certificate is fine for what it is for.
        _ = try verifier { $0.purpose = .serverAuth(expectedName: nil) }.verify(issued.certificate, intermediates: issued.intermediates)
    }

    @Test("a leaf with CA:TRUE or keyCertSign is leafIsCA", arguments: [
        [("basicConstraints", "critical,CA:TRUE"), ("keyUsage", "critical,digitalSignature"), ("extendedKeyUsage", "clientAuth"),
         ("subjectKeyIdentifier", "hash"), ("authorityKeyIdentifier", "keyid:always")],
        [("basicConstraints", "critical,CA:FALSE"), ("keyUsage", "critical,digitalSignature,keyCertSign"), ("extendedKeyUsage", "clientAuth"),
         ("subjectKeyIdentifier", "hash"), ("authorityKeyIdentifier", "keyid:always")],
    ])
    func leafIsCA(_ extensions: [(String, String)]) throws {
        let (leaf, _) = try rawIssue(subject: "ca-leaf", extensions: extensions.map { (name: $0.0, value: $0.1) }, issuer: try sharedIntermediate)
        let error = certificateError { _ = try verifier().verify(leaf, intermediates: [try sharedIntermediate.0]) }
        #expect(error?.code == .leafIsCA)
        #expect(error?.certificateIndex == 0)
        #expect(error?.certificateSubject == "CN=ca-leaf")
    }

    @Test("a certificate issued by a non-CA leaf is invalidCA at index 1")
    func issuedByLeaf() throws {
        let (signer, signerKey) = try rawIssue(subject: "signer", extensions: leafExtensions, issuer: try sharedIntermediate)
        let (leaf, _) = try rawIssue(subject: "victim", extensions: leafExtensions, issuer: (signer, signerKey))
        let error = certificateError { _ = try verifier().verify(leaf, intermediates: [signer, try sharedIntermediate.0]) }
        #expect(error?.code == .invalidCA)
        #expect(error?.certificateIndex == 1)
    }

    @Test("name constraints are enforced on subjectAltName dNSNames")
    func nameConstraints() throws {
        let ca = try DevelopmentCA.create(name: "Constrained", intermediate: true, permittedDNSDomains: ["corp.example"], now: t0)
        var inside = clientRequest()
        inside.dnsNames = ["api.corp.example"]
        let good = try ca.issue(inside, now: t0)
        _ = try verifier(ca).verify(good.certificate, intermediates: good.intermediates)
        var outside = clientRequest()
        outside.dnsNames = ["api.evil.example"]
        let bad = try ca.issue(outside, now: t0)
        let error = certificateError { _ = try verifier(ca).verify(bad.certificate, intermediates: bad.intermediates) }
        #expect(error?.code == .nameConstraint)
        #expect(error?.certificateIndex == 0)
    }

    @Test("more intermediates than maximumDepth: depthExceeded")
    func depth() throws {
        let issued = try sharedCA.issue(clientRequest(), now: t0)
        _ = try verifier { $0.maximumDepth = 1 }.verify(issued.certificate, intermediates: issued.intermediates)
        let error = certificateError { _ = try verifier { $0.maximumDepth = 0 }.verify(issued.certificate, intermediates: issued.intermediates) }
        #expect(error?.code == .depthExceeded)
    }

    @Test("weak or unlisted keys anywhere in the chain: weakKey", arguments: [X509KeySpec.rsa(bits: 1024), .ec(group: "P-521"), .ec(group: "secp256k1")])
    func weakLeafKeys(_ spec: X509KeySpec) throws {
        let (leaf, _) = try rawIssue(subject: "weak", key: spec, extensions: leafExtensions, issuer: try sharedIntermediate)
        let error = certificateError { _ = try verifier().verify(leaf, intermediates: [try sharedIntermediate.0]) }
        #expect(error?.code == .weakKey)
        #expect(error?.certificateIndex == 0)
    }

    @Test("key policy applies to CAs too: a P-256 chain under a P-384-only policy fails at the first certificate")
    func keyPolicyOnChain() throws {
        let issued = try sharedCA.issue(clientRequest(), now: t0)
        let error = certificateError { _ = try verifier { $0.allowedCurves = [.p384] }.verify(issued.certificate, intermediates: issued.intermediates) }
        #expect(error?.code == .weakKey)
        #expect(error?.certificateIndex == 0)
        var ed = clientRequest()
        ed.keyType = .ed25519
        let edLeaf = try sharedCA.issue(ed, now: t0)
        // The Ed25519 leaf passes; the P-256 intermediate is the first refused.
        let caError = certificateError { _ = try verifier { $0.allowedCurves = [.p384] }.verify(edLeaf.certificate, intermediates: edLeaf.intermediates) }
        #expect(caError?.code == .weakKey)
        #expect(caError?.certificateIndex == 1)
    }

    @Test("an RSA-2048 chain under a 3072-bit minimum is weakKey")
    func rsaMinimum() throws {
        let ca = try DevelopmentCA.create(name: "RSA", keyType: .rsa2048, now: t0)
        var request = clientRequest()
        request.keyType = .rsa2048
        let issued = try ca.issue(request, now: t0)
        _ = try verifier(ca).verify(issued.certificate)
        let error = certificateError { _ = try verifier(ca) { $0.minimumRSAKeySize = 3072 }.verify(issued.certificate) }
        #expect(error?.code == .weakKey)
    }

    @Test("signature algorithms outside the allowed set: disallowedAlgorithm")
    func algorithms() throws {
        let issued = try sharedCA.issue(clientRequest(), now: t0)
        let error = certificateError { _ = try verifier { $0.allowedSignatureAlgorithms = [.ed25519] }.verify(issued.certificate, intermediates: issued.intermediates) }
        #expect(error?.code == .disallowedAlgorithm)
        #expect(error?.certificateIndex == 0)
    }

    @Test("server names: SAN dNSName and iPAddress only, never the CN (RFC 9525)")
    func hostnames() throws {
        var request = clientRequest("api.corp.example", usage: .server)
        request.dnsNames = ["api.corp.example", "*.apps.corp.example"]
        request.ipAddresses = ["10.0.0.1", "2001:db8::1"]
        let issued = try sharedCA.issue(request, now: t0)
        for name in ["api.corp.example", "API.corp.example", "x.apps.corp.example", "10.0.0.1", "2001:db8::1"] {
            _ = try verifier { $0.purpose = .serverAuth(expectedName: name) }.verify(issued.certificate, intermediates: issued.intermediates)
        }
        for name in ["other.corp.example", "a.b.apps.corp.example", "apps.corp.example", "10.0.0.2", "2001:db8::2"] {
            let error = certificateError {
                _ = try verifier { $0.purpose = .serverAuth(expectedName: name) }.verify(issued.certificate, intermediates: issued.intermediates)
            }
            #expect(error?.code == .hostnameMismatch, "\(name)")
            #expect(error?.certificateIndex == 0)
        }
        // A CN that looks like the host name, without a matching SAN, does not match.
        var cnOnly = clientRequest("cn.corp.example", usage: .server)
        cnOnly.dnsNames = ["unrelated.corp.example"]
        let cnIssued = try sharedCA.issue(cnOnly, now: t0)
        let error = certificateError {
            _ = try verifier { $0.purpose = .serverAuth(expectedName: "cn.corp.example") }.verify(cnIssued.certificate, intermediates: cnIssued.intermediates)
        }
        #expect(error?.code == .hostnameMismatch)
        let noSAN = try sharedCA.issue(clientRequest("bare.corp.example", usage: .server), now: t0)
        let bareError = certificateError {
            _ = try verifier { $0.purpose = .serverAuth(expectedName: "bare.corp.example") }.verify(noSAN.certificate, intermediates: noSAN.intermediates)
        }
        #expect(bareError?.code == .hostnameMismatch)
    }

    @Test("OpenSSL's strict mode: a leaf without authorityKeyIdentifier is malformed")
    func strictEncoding() throws {
        let extensions: [(name: String, value: String)] = [
            ("basicConstraints", "critical,CA:FALSE"), ("keyUsage", "critical,digitalSignature"), ("extendedKeyUsage", "clientAuth"),
        ]
        let (leaf, _) = try rawIssue(subject: "no-akid", extensions: extensions, issuer: try sharedIntermediate)
        let error = certificateError { _ = try verifier().verify(leaf, intermediates: [try sharedIntermediate.0]) }
        #expect(error?.code == .malformed)
        #expect(error?.certificateIndex == 0)
    }

    @Test("an empty trust store is refused")
    func emptyStore() {
        let error = certificateError { _ = try TrustStore(anchors: []) }
        #expect(error?.code == .invalidParameter)
    }

    @Test("concurrent verifications share one verifier")
    func concurrent() async throws {
        let issued = try sharedCA.issue(clientRequest(), now: t0)
        let verifier = try verifier()
        let results = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<32 {
                group.addTask { (try? verifier.verify(issued.certificate, intermediates: issued.intermediates)) != nil }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results.count == 32)
        #expect(results.allSatisfy { $0 })
    }
}
