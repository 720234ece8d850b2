import Foundation
import Testing
import ZeroTrustCrypto
@testable import ZeroTrustIdentity

/// Interoperability with the `openssl` command line tool (installed by scripts/setup.sh):
/// certificates it makes verify here, and certificates made here pass `openssl verify`.
@Suite("OpenSSL CLI interop")
struct OpenSSLInteropTests {
    final class Workspace {
        let directory: URL
        init() throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("zt-interop-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        }
        deinit { try? FileManager.default.removeItem(at: directory) }

        func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

        func write(_ name: String, _ text: String) throws {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path(name)))
        }

        /// Runs `openssl` in the workspace; returns the exit status and combined output.
        @discardableResult
        func openssl(_ arguments: [String]) throws -> (status: Int32, output: String) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["openssl"] + arguments
            process.currentDirectoryURL = directory
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            try process.run()
            let output = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: output, as: UTF8.self))
        }
    }

    /// An openssl-made root → intermediate → leaf chain (P-256, RSA-2048 or Ed25519 keys).
    func makeOpenSSLChain(_ work: Workspace, algorithm: [String], leafExtensions: String) throws {
        try work.write("ca.ext", """
            basicConstraints = critical,CA:TRUE
            keyUsage = critical,keyCertSign,cRLSign
            subjectKeyIdentifier = hash
            authorityKeyIdentifier = keyid:always
            """)
        try work.write("leaf.ext", leafExtensions + "\nsubjectKeyIdentifier = hash\nauthorityKeyIdentifier = keyid:always\n")
        let steps: [[String]] = [
            ["genpkey"] + algorithm + ["-out", "root.key"],
            ["req", "-x509", "-new", "-key", "root.key", "-subj", "/O=Interop/CN=Interop Root", "-days", "30",
             "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign", "-out", "root.pem"],
            ["genpkey"] + algorithm + ["-out", "int.key"],
            ["req", "-new", "-key", "int.key", "-subj", "/O=Interop/CN=Interop Intermediate", "-out", "int.csr"],
            ["x509", "-req", "-in", "int.csr", "-CA", "root.pem", "-CAkey", "root.key", "-CAcreateserial", "-days", "30",
             "-extfile", "ca.ext", "-out", "int.pem"],
            ["genpkey"] + algorithm + ["-out", "leaf.key"],
            ["req", "-new", "-key", "leaf.key", "-subj", "/O=Corp/OU=ML/CN=bob", "-out", "leaf.csr"],
            ["x509", "-req", "-in", "leaf.csr", "-CA", "int.pem", "-CAkey", "int.key", "-CAcreateserial", "-days", "10",
             "-extfile", "leaf.ext", "-out", "leaf.pem"],
        ]
        for step in steps {
            let result = try work.openssl(step)
            try #require(result.status == 0, "openssl \(step.joined(separator: " ")): \(result.output)")
        }
    }

    func load(_ work: Workspace, _ name: String) throws -> Certificate {
        try Certificate(pemEncoded: String(contentsOfFile: work.path(name), encoding: .utf8))
    }

    @Test("openssl-made chains verify and yield the identity", arguments: [
        ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"],
        ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"],
        ["-algorithm", "ED25519"],
    ])
    func opensslMadeVerifies(_ algorithm: [String]) throws {
        let work = try Workspace()
        try makeOpenSSLChain(work, algorithm: algorithm, leafExtensions: """
            basicConstraints = critical,CA:FALSE
            keyUsage = critical,digitalSignature
            extendedKeyUsage = clientAuth
            subjectAltName = URI:spiffe://interop.example/ml/bob,DNS:bob.interop.example
            """)
        let leaf = try load(work, "leaf.pem")
        let intermediate = try load(work, "int.pem")
        // Validity is relative to the certificate itself: nothing here depends on the wall clock.
        let policy = VerificationPolicy(verificationTime: leaf.notBefore.addingTimeInterval(60))
        let chain = try ChainVerifier(trustStore: try TrustStore(contentsOf: work.path("root.pem")), policy: policy)
            .verify(leaf, intermediates: [intermediate])
        let identity = try ClientIdentity(chain: chain, requiredTrustDomain: "interop.example")
        #expect(identity.commonName == "bob")
        #expect(identity.spiffeID?.path == "/ml/bob")
        #expect(chain.certificates.count == 3)
        // A directory of anchors works too.
        #expect(try TrustStore(contentsOf: work.directory.path).anchors.count >= 3)
    }

    @Test("an openssl-made server certificate with the name only in the CN fails the host check")
    func opensslCNOnly() throws {
        let work = try Workspace()
        try makeOpenSSLChain(work, algorithm: ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"], leafExtensions: """
            basicConstraints = critical,CA:FALSE
            keyUsage = critical,digitalSignature
            extendedKeyUsage = serverAuth
            """)
        let leaf = try load(work, "leaf.pem")
        var policy = VerificationPolicy(verificationTime: leaf.notBefore.addingTimeInterval(60))
        policy.purpose = .serverAuth(expectedName: "bob")
        let verifier = ChainVerifier(trustStore: try TrustStore(contentsOf: work.path("root.pem")), policy: policy)
        let error = certificateError { _ = try verifier.verify(leaf, intermediates: [try load(work, "int.pem")]) }
        #expect(error?.code == .hostnameMismatch)
    }

    @Test("an openssl-made leaf signed with SHA-1 is disallowedAlgorithm")
    func sha1Leaf() throws {
        let work = try Workspace()
        try makeOpenSSLChain(work, algorithm: ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"], leafExtensions: """
            basicConstraints = critical,CA:FALSE
            keyUsage = critical,digitalSignature
            extendedKeyUsage = clientAuth
            """)
        let resign = try work.openssl(["x509", "-req", "-in", "leaf.csr", "-CA", "int.pem", "-CAkey", "int.key", "-CAcreateserial",
                                       "-days", "10", "-sha1", "-extfile", "leaf.ext", "-out", "leaf-sha1.pem"])
        try #require(resign.status == 0, "\(resign.output)")
        let leaf = try load(work, "leaf-sha1.pem")
        #expect(leaf.signatureAlgorithm == .other("sha1WithRSAEncryption"))
        let policy = VerificationPolicy(verificationTime: leaf.notBefore.addingTimeInterval(60))
        let verifier = ChainVerifier(trustStore: try TrustStore(contentsOf: work.path("root.pem")), policy: policy)
        let error = certificateError { _ = try verifier.verify(leaf, intermediates: [try load(work, "int.pem")]) }
        #expect(error?.code == .disallowedAlgorithm)
        #expect(error?.certificateIndex == 0)
    }

    @Test("certificates and CRLs made here pass `openssl verify -x509_strict -purpose`", arguments: DevelopmentCA.KeyType.allCases)
    func oursPassOpenSSL(_ keyType: DevelopmentCA.KeyType) throws {
        let work = try Workspace()
        let ca = try DevelopmentCA.create(name: "Ours-\(keyType)", keyType: keyType, intermediate: true, now: t0)
        var client = clientRequest()
        client.keyType = keyType
        client.spiffeID = try SPIFFEID(parsing: "spiffe://corp.example/ml/alice")
        var server = DevelopmentCA.LeafRequest(commonName: "api")
        server.usage = .server
        server.dnsNames = ["api.corp.example"]
        server.ipAddresses = ["10.0.0.9"]
        server.keyType = keyType
        let clientLeaf = try ca.issue(client, now: t0)
        let serverLeaf = try ca.issue(server, now: t0)
        try work.write("root.pem", ca.root.pemRepresentation)
        try work.write("int.pem", try #require(ca.intermediate).pemRepresentation)
        try work.write("client.pem", clientLeaf.certificate.pemRepresentation)
        try work.write("server.pem", serverLeaf.certificate.pemRepresentation)
        let at = String(Int(t0.timeIntervalSince1970) + 3600)
        let base = ["verify", "-x509_strict", "-attime", at, "-CAfile", "root.pem", "-untrusted", "int.pem"]

        let ok = try work.openssl(base + ["-purpose", "sslclient", "client.pem"])
        #expect(ok.status == 0 && ok.output.contains("client.pem: OK"), "\(ok.output)")
        let serverOK = try work.openssl(base + ["-purpose", "sslserver", "-verify_hostname", "api.corp.example", "server.pem"])
        #expect(serverOK.status == 0, "\(serverOK.output)")
        let serverIP = try work.openssl(base + ["-purpose", "sslserver", "-verify_ip", "10.0.0.9", "server.pem"])
        #expect(serverIP.status == 0, "\(serverIP.output)")
        // openssl agrees on what is wrong, too.
        let wrongPurpose = try work.openssl(base + ["-purpose", "sslserver", "client.pem"])
        #expect(wrongPurpose.status != 0 && wrongPurpose.output.contains("unsuitable certificate purpose"), "\(wrongPurpose.output)")

        // CRLs we make are accepted by openssl, and the revocation is seen.
        try work.write("root.crl", try ca.revocationList(revoking: [], signedBy: .root, now: t0).pemRepresentation)
        try work.write("int.crl", try ca.revocationList(revoking: [clientLeaf.certificate], signedBy: .intermediate, now: t0).pemRepresentation)
        let crlBase = base + ["-crl_check_all", "-CRLfile", "root.crl", "-CRLfile", "int.crl"]
        let serverWithCRL = try work.openssl(crlBase + ["-purpose", "sslserver", "server.pem"])
        #expect(serverWithCRL.status == 0, "\(serverWithCRL.output)")
        let revoked = try work.openssl(crlBase + ["-purpose", "sslclient", "client.pem"])
        #expect(revoked.status != 0 && revoked.output.contains("certificate revoked"), "\(revoked.output)")
        // And openssl parses the CRL we wrote.
        let crlText = try work.openssl(["crl", "-in", "int.crl", "-noout", "-text"])
        #expect(crlText.status == 0 && crlText.output.contains("Serial Number: \(clientLeaf.certificate.serialNumber)"), "\(crlText.output)")
    }

    @Test("openssl's exact-notAfter behaviour, which ChainVerifier corrects")
    func notAfterBoundary() throws {
        let work = try Workspace()
        let issued = try sharedCA.issue(clientRequest(), now: t0)
        try work.write("root.pem", sharedCA.root.pemRepresentation)
        try work.write("int.pem", try #require(sharedCA.intermediate).pemRepresentation)
        try work.write("leaf.pem", issued.certificate.pemRepresentation)
        let notAfter = String(Int(issued.certificate.notAfter.timeIntervalSince1970))
        let openssl = try work.openssl(["verify", "-attime", notAfter, "-CAfile", "root.pem", "-untrusted", "int.pem", "leaf.pem"])
        // OpenSSL 3.0 calls a certificate expired at its notAfter second; RFC 5280 does not.
        #expect(openssl.status != 0 && openssl.output.contains("certificate has expired"), "\(openssl.output)")
        _ = try verifier(at: issued.certificate.notAfter).verify(issued.certificate, intermediates: issued.intermediates)
    }
}
