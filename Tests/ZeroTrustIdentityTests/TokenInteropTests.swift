import Foundation
import Testing
@testable import ZeroTrustIdentity
import ZeroTrustCrypto

/// Tokens we issue verify in PyJWT and joserfc, and theirs verify here, for every algorithm.
/// The Python libraries are installed by scripts/setup.sh; if they are missing the test fails.
@Suite("Interoperability with PyJWT and joserfc")
struct TokenInteropTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/jwt_interop.py").path

    struct Output {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    static func python(_ arguments: [String]) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script] + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self))
    }

    @Test("Both directions", arguments: JWSAlgorithm.allCases)
    func interop(algorithm: JWSAlgorithm) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("zt-jwt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let key = try SigningKey.generate(algorithm: algorithm, keyID: "interop-\(algorithm.rawValue)")
        let jwkPath = directory.appendingPathComponent("key.jwk").path
        try SecretFile.write(JWK(signingKey: key).json, to: jwkPath)
        let ring = try KeyRing(signingKey: key)

        // Ours → theirs.
        let token = try TokenIssuer(keyRing: ring, issuer: "swift").issue(subject: "alice", audience: ["interop"], lifetime: 300,
                                                                         custom: ["roles": .array([.string("ml_engineer")])])
        let verified = try Self.python(["verify", algorithm.rawValue, jwkPath, token])
        try #require(verified.status != 3, "Python JWT libraries missing: \(verified.stderr)")
        #expect(verified.status == 0, "PyJWT/joserfc rejected our \(algorithm.rawValue) token: \(verified.stderr)")
        #expect(verified.stdout.contains("\"sub\": \"alice\"") && verified.stdout.contains("ml_engineer"))

        // Theirs → ours.
        let signed = try Self.python(["sign", algorithm.rawValue, jwkPath])
        #expect(signed.status == 0, "\(signed.stderr)")
        let tokens = signed.stdout.split(whereSeparator: \.isNewline).map(String.init)
        #expect(tokens.count == 2)
        let verifier = TokenVerifier(keyRing: ring, options: TokenValidationOptions(issuer: "python", audience: "interop"))
        for (library, theirs) in zip(["PyJWT", "joserfc"], tokens) {
            do {
                let claims = try await verifier.verify(theirs).claims
                #expect(claims.subject == "py-user" && claims.roles == ["data_scientist"])
            } catch {
                Issue.record("\(library) \(algorithm.rawValue) token rejected: \(error)")
            }
        }
        // And a tampered token of theirs is refused by them and by us.
        if let theirs = tokens.first {
            let tampered = String(theirs.dropLast(2)) + (theirs.hasSuffix("AA") ? "BA" : "AA")
            #expect(try Self.python(["verify", algorithm.rawValue, jwkPath, tampered]).status == 1)
            await #expect(throws: TokenError.self) { _ = try await verifier.verify(tampered) }
        }
    }
}
