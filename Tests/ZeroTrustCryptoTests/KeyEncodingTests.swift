import Foundation
import Testing
@testable import ZeroTrustCrypto

@Suite("Malformed key material gives typed errors")
struct KeyEncodingTests {
    @Test("Malformed PEM: no block, truncated, bad base64, wrong label, encrypted, headers, mismatched END")
    func malformedPEM() throws {
        let good = try P256.PrivateKey().pemRepresentation
        let lines = good.split(separator: "\n").map(String.init)
        let cases: [(String, String)] = [
            ("", "no PEM block"),
            ("just some text", "no PEM block"),
            (lines.dropLast().joined(separator: "\n"), "no END line"),
            (lines[0] + "\n!!!!notbase64!!!!\n" + lines[lines.count - 1], "not valid base64"),
            (good.replacingOccurrences(of: "PRIVATE KEY", with: "CERTIFICATE"), "expected 'PRIVATE KEY'"),
            (good.replacingOccurrences(of: "PRIVATE KEY", with: "ENCRYPTED PRIVATE KEY"), "encrypted private keys are not supported"),
            (lines[0] + "\nProc-Type: 4,ENCRYPTED\n" + lines.dropFirst().joined(separator: "\n"), "PEM headers"),
            (good.replacingOccurrences(of: "-----END PRIVATE KEY-----", with: "-----END PUBLIC KEY-----"), "does not match BEGIN"),
            (good + good, "expected one PEM block"),
            (lines[0] + "\n" + lines[lines.count - 1], "is empty"),
        ]
        for (text, fragment) in cases {
            do {
                _ = try P256.PrivateKey(pemRepresentation: text)
                Issue.record("accepted malformed PEM (\(fragment))")
            } catch let error as CryptoError {
                #expect(error.code == .malformedPEM, "\(fragment): \(error)")
                #expect(error.message.contains(fragment), "message '\(error.message)' should mention '\(fragment)'")
            }
        }
    }

    @Test("PEM errors name the line")
    func pemLineNumbers() throws {
        let good = try Ed25519.PrivateKey().pemRepresentation
        let text = "# a comment\n\n" + good.replacingOccurrences(of: "-----END PRIVATE KEY-----", with: "-----END PUBLIC KEY-----")
        do {
            _ = try Ed25519.PrivateKey(pemRepresentation: text)
            Issue.record("accepted a mismatched END line")
        } catch let error as CryptoError {
            #expect(error.message.hasPrefix("line 5:") && error.message.contains("on line 3"), "\(error.message)")
        }
    }

    @Test("Malformed DER: truncated, garbage, trailing data, wrong structure")
    func malformedDER() throws {
        let key = try P256.PrivateKey()
        let der = try key.derRepresentation.withUnsafeBytes { Array($0) }
        let spki = key.publicKey.derRepresentation
        #expect(throwsCryptoError(.malformedDER) { _ = try P256.PrivateKey(derRepresentation: Array(der.prefix(der.count / 2))) })
        #expect(throwsCryptoError(.malformedDER) { _ = try P256.PrivateKey(derRepresentation: SecureRandom.bytes(count: 64)) })
        #expect(throwsCryptoError(.malformedDER) { _ = try P256.PrivateKey(derRepresentation: [UInt8]()) })
        #expect(throwsCryptoError(.malformedDER) { _ = try P256.PrivateKey(derRepresentation: der + [0x00]) })
        #expect(throwsCryptoError(.malformedDER) { _ = try P256.PublicKey(derRepresentation: Array(spki.dropLast())) })
        #expect(throwsCryptoError(.malformedDER) { _ = try P256.PublicKey(derRepresentation: spki + [0x05, 0x00]) })
        // A private key where a public key is expected, and the reverse.
        #expect(throwsCryptoError(.malformedDER) { _ = try P256.PublicKey(derRepresentation: der) })
        #expect(throwsCryptoError(.malformedDER) { _ = try P256.PrivateKey(derRepresentation: spki) })
        // The drained OpenSSL queue is carried, and no key bytes are in the message.
        do {
            _ = try P256.PrivateKey(derRepresentation: Array(der.prefix(40)))
        } catch let error as CryptoError {
            #expect(!error.openSSLErrors.isEmpty)
            #expect(!error.description.contains(Hex.encode(der.suffix(20))))
        }
    }

    @Test("Keys made by the openssl CLI load, and ours load in the openssl CLI")
    func opensslInterop() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("zt-interop-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        func openssl(_ arguments: [String]) throws -> Int32 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["openssl"] + arguments
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            return process.terminationStatus
        }
        let theirs = directory.appendingPathComponent("theirs.pem").path
        let message = directory.appendingPathComponent("message").path
        let signature = directory.appendingPathComponent("sig").path
        try Data("interop".utf8).write(to: URL(fileURLWithPath: message))
        // openssl → us: an Ed25519 key and signature.
        #expect(try openssl(["genpkey", "-algorithm", "ED25519", "-out", theirs]) == 0)
        #expect(try openssl(["pkeyutl", "-sign", "-rawin", "-inkey", theirs, "-in", message, "-out", signature]) == 0)
        let edKey = try Ed25519.PrivateKey(pemRepresentation: String(contentsOfFile: theirs, encoding: .utf8))
        #expect(edKey.publicKey.isValidSignature(try Data(contentsOf: URL(fileURLWithPath: signature)), for: utf8("interop")))
        // us → openssl: a P-256 key and DER signature verified by `openssl dgst`.
        let ours = try P256.PrivateKey()
        let publicPath = directory.appendingPathComponent("ours.pub").path
        try SecretFile.write(ours.publicKey.pemRepresentation, to: publicPath)
        try Data(ours.signature(for: utf8("interop")).derRepresentation).write(to: URL(fileURLWithPath: signature))
        #expect(try openssl(["dgst", "-sha256", "-verify", publicPath, "-signature", signature, message]) == 0)
        // And an RSA-PSS signature.
        let rsa = try RSA.PrivateKey(keySize: 2048)
        try SecretFile.write(rsa.publicKey.pemRepresentation, to: publicPath)
        try Data(rsa.signature(for: utf8("interop"), padding: .pss, algorithm: .sha256)).write(to: URL(fileURLWithPath: signature))
        #expect(try openssl(["dgst", "-sha256", "-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:digest",
                             "-verify", publicPath, "-signature", signature, message]) == 0)
    }
}
