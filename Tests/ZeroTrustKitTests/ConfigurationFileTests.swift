import Foundation
import Testing
import ZeroTrustKit

/// `zt.yaml` loading: the anomaly-detection, audit HMAC key, API-key pepper and syslog settings,
/// accepted when well formed and refused, naming the setting, when not.
@Suite struct ConfigurationFileTests {
    /// A directory with the files every `zt.yaml` needs (policy, grant key, audit key) and the
    /// optional key files; `write(_:)` puts a `zt.yaml` beside them. Removed when released.
    final class Workspace {
        let directory: String
        let hmacKey = SymmetricKey(size: .bits256)
        let pepper = SymmetricKey(size: .bits256)

        init() throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("zt-config-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let policyURL = try #require(Bundle.module.url(forResource: "Fixtures/policy-example", withExtension: "yaml"))
            try FileManager.default.copyItem(atPath: policyURL.path, toPath: path("policies.yaml"))
            try SecretFile.write(try JWK(signingKey: try SigningKey.generate(algorithm: .edDSA, keyID: "grants")).json, to: path("grants.jwk"))
            try SecretFile.write(try Ed25519.PrivateKey().pemRepresentation, to: path("audit.pem"))
            try SecretFile.write(hmacKey.bytes, to: path("audit-hmac.key"))        // raw 32 bytes
            let encoded = pepper.bytes.withUnsafeBytes { Data($0).base64EncodedString() }
            try SecretFile.write(encoded + "\n", to: path("api-pepper.key"))      // base64 on one line
        }

        deinit { try? FileManager.default.removeItem(atPath: directory) }

        func path(_ name: String) -> String { directory + "/" + name }

        func write(_ extra: String) throws -> String {
            try ("""
                policy: policies.yaml
                grants: {signing_key: grants.jwk}
                api_keys: keys.json
                audit:
                  - {type: file, path: audit.log, signing_key: audit.pem, mode: strict}

                """ + extra).write(toFile: path("zt.yaml"), atomically: true, encoding: .utf8)
            return path("zt.yaml")
        }

        func load(_ extra: String) throws -> Gatekeeper.Configuration {
            try GatekeeperConfigurationFile.load(path: try write(extra), clock: { Date(timeIntervalSince1970: 1_795_600_000) })
        }

        func failure(_ extra: String) throws -> GatekeeperError {
            let path = try write(extra)
            do {
                _ = try GatekeeperConfigurationFile.load(path: path)
            } catch {
                return error
            }
            Issue.record("\(extra) was accepted")
            return GatekeeperError(code: .init(rawValue: "accepted"), message: "")
        }

        func auditLog() throws -> String { try String(contentsOfFile: path("audit.log"), encoding: .utf8) }
    }

    @Test func tokenValidationSettingsReachTheVerifier() throws {
        let workspace = try Workspace()
        let users = try SigningKey.generate(algorithm: .hs256, keyID: "users")
        try SecretFile.write(JWKSet(keys: [try JWK(signingKey: users)]).json, to: workspace.path("users.jwks"))
        let configuration = try workspace.load("""
            tokens: {jwks: users.jwks, issuer: https://idp.test, audience: registry, leeway: 5, max_lifetime: 600}
            """)
        let options = try #require(configuration.tokenVerifier?.options)
        #expect(options.issuer == "https://idp.test")
        #expect(options.audience == "registry")
        #expect(options.leeway == 5)
        #expect(options.maximumLifetime == 600)
        #expect(configuration.tokenVerifier?.keyRing.verificationKeys.map(\.keyID) == ["users"])
    }

    @Test func revocationListsAndTheKMSAreLoaded() async throws {
        let workspace = try Workspace()
        let ca = try DevelopmentCA.create(name: "Config CA", now: Date(timeIntervalSince1970: 1_795_500_000))
        let leaf = try ca.issue(DevelopmentCA.LeafRequest(commonName: "revoked"), now: Date(timeIntervalSince1970: 1_795_500_000))
        let crl = try ca.revocationList(revoking: [leaf.certificate], now: Date(timeIntervalSince1970: 1_795_550_000))
        try crl.pemRepresentation.write(toFile: workspace.path("crl.pem"), atomically: true, encoding: .utf8)
        try SecretFile.write(SymmetricKey(size: .bits256).bytes, to: workspace.path("kms.key"))
        _ = try LocalKMS.create(directory: workspace.path("kms"), masterKey: .keyFile(workspace.path("kms.key")))
        let configuration = try workspace.load("""
            crls: [crl.pem]
            kms: {directory: kms, master_key_file: kms.key}
            """)
        #expect(configuration.certificatePolicy.crls.count == 1)
        let kms = try #require(configuration.kms as? LocalKMS)
        _ = try await kms.createKey("datasets")
        #expect(await kms.listKeys().map(\.keyID) == ["datasets"])
        // A list that is not a list, or a KMS section missing its key file, is refused by name.
        #expect(try workspace.failure("crls: crl.pem").message.contains("crls"))
        #expect(try workspace.failure("kms: {directory: kms}").message.contains("kms"))
    }

    @Test func syslogDestinationsAreBuiltWithTheirTransportAndMode() throws {
        let workspace = try Workspace()
        let configuration = try workspace.load("""
              - {type: syslog, transport: udp, host: 127.0.0.1, port: 5514, mode: batch}
              - {type: syslog, transport: tcp, host: localhost, port: 6514, mode: blocking}
              - {type: syslog, transport: unix, path: log.sock}
            """)
        let destinations = configuration.auditDestinations
        #expect(destinations.map(\.mode) == [.strict, .batch, .blocking, .strict])
        #expect(destinations.dropFirst().allSatisfy { $0.sink is SyslogSink })
        #expect(destinations.dropFirst().map(\.name) == ["syslog:udp://127.0.0.1:5514", "syslog:tcp://localhost:6514",
                                                          "syslog:unix:" + workspace.path("log.sock")])
    }

    @Test func theHMACKeyFingerprintsRejectedCredentialsInTheLog() async throws {
        let workspace = try Workspace()
        let configuration = try workspace.load("audit_hmac_key: audit-hmac.key\n")
        let gatekeeper = try Gatekeeper(configuration)
        let guess = "ztk_guessed_0123456789abcdef"
        let outcome = await gatekeeper.authorize(credential: .apiKey(guess), action: .readData,
                                                 resource: .init(type: .dataset, id: "customers"))
        #expect(outcome.authenticationFailure != nil)
        try await gatekeeper.auditLog.flush()
        let expected = try AuditRedactor(key: workspace.hmacKey).fingerprint(of: guess)
        let log = try workspace.auditLog()
        #expect(log.contains(expected.rawValue))
        #expect(!log.contains(guess))
    }

    @Test func thePepperKeysTheAPIKeyStore() async throws {
        let workspace = try Workspace()
        let configuration = try workspace.load("api_key_pepper: api-pepper.key\n")
        let issuer = try #require(configuration.apiKeys)
        let created = try await issuer.create(name: "svc", roles: ["data_scientist"])
        #expect(try await issuer.verify(created.key).name == "svc")
        // The same store without the pepper, or with another one, must not accept the key.
        let store = try FileAPIKeyStore(path: workspace.path("keys.json"))
        await #expect(throws: TokenError.self) { try await APIKeyIssuer(store: store).verify(created.key) }
        await #expect(throws: TokenError.self) {
            try await APIKeyIssuer(store: store, pepper: SymmetricKey(size: .bits256)).verify(created.key)
        }
        #expect(try await APIKeyIssuer(store: store, pepper: workspace.pepper).verify(created.key).name == "svc")
    }

    /// Three failed API keys trip a brute-force detector configured for three; the alert is
    /// written to the audit destinations. With the detector disabled, the same burst is silent.
    @Test(arguments: [true, false]) func anomalyThresholdsAndSwitchesApply(enabled: Bool) async throws {
        let workspace = try Workspace()
        let configuration = try workspace.load("""
            anomaly_detection:
              brute_force: {enabled: \(enabled), failures: 3, window: 60}
              credential_stuffing: {enabled: false}
              unusual_time: {enabled: false}
              unusual_volume: {window: 600, z_score: 2.5}
            """)
        #expect(configuration.anomalyMonitor != nil)
        let gatekeeper = try Gatekeeper(configuration)
        for _ in 0..<3 {
            _ = await gatekeeper.authorize(credential: .apiKey("ztk_wrong_0123456789"), action: .readData,
                                           resource: .init(type: .dataset, id: "customers"))
        }
        try await gatekeeper.auditLog.flush()
        try await gatekeeper.auditLog.close()
        #expect(try workspace.auditLog().contains("brute_force") == enabled)
    }

    @Test func detectionIsOffUnlessConfiguredOrWhenDisabled() throws {
        let workspace = try Workspace()
        #expect(try workspace.load("").anomalyMonitor == nil)
        #expect(try workspace.load("").redactor == nil)
        #expect(try workspace.load("anomaly_detection: {enabled: false}\n").anomalyMonitor == nil)
        #expect(try workspace.load("anomaly_detection: {}\n").anomalyMonitor != nil)
    }

    @Test(arguments: [
        ("anomaly_detection: {brute_force: {failure: 3}}\n", "anomaly_detection.brute_force: unknown setting 'failure'"),
        ("anomaly_detection: {brute_forces: {}}\n", "anomaly_detection: unknown setting 'brute_forces'"),
        ("anomaly_detection: {enabled: yes-please}\n", "anomaly_detection.enabled: must be true or false"),
        ("anomaly_detection: {denied_burst: {denials: 0}}\n", "anomaly_detection.denied_burst.denials: must be positive"),
        ("anomaly_detection: {brute_force: {window: -5}}\n", "anomaly_detection.brute_force.window: must not be negative"),
        ("anomaly_detection: {brute_force: {window: 0.5}}\n", "anomaly_detection.brute_force.window: must be at least 1 second"),
        // Values are checked even where detection is switched off.
        ("anomaly_detection: {enabled: false, brute_force: {failures: many}}\n", "anomaly_detection.brute_force.failures: must be an integer"),
        ("anomaly_detection: {unusual_time: {enabled: false, minimum_hist: 5}}\n", "anomaly_detection.unusual_time: unknown setting 'minimum_hist'"),
        ("anomaly_detection: {unusual_time: {minimum_share: 2}}\n", "anomaly_detection.unusual_time.minimum_share: must be between 0 and 1"),
        ("anomaly_detection: {unusual_volume: {z_score: high}}\n", "anomaly_detection.unusual_volume.z_score: must be a number"),
        ("anomaly_detection: [brute_force]\n", "anomaly_detection: must be a mapping"),
        ("audit_hmac_key: grants.jwk\n", "audit_hmac_key: "),
        ("api_key_pepper: grants.jwk\n", "api_key_pepper: "),
        ("audit_hmac_keys: audit-hmac.key\n", "audit_hmac_keys: unknown setting"),
        ("  - {type: syslog, host: 127.0.0.1, port: 514}\n", "audit[1].transport: is required for syslog"),
        ("  - {type: syslog, transport: smoke, host: 127.0.0.1, port: 514}\n", "audit[1].transport: must be udp, tcp or unix"),
        ("  - {type: syslog, transport: udp, port: 514}\n", "audit[1].host: is required for udp and tcp"),
        ("  - {type: syslog, transport: tcp, host: 127.0.0.1}\n", "audit[1].port: is required for udp and tcp"),
        ("  - {type: syslog, transport: tcp, host: 127.0.0.1, port: 70000}\n", "audit[1].port: 70000 is outside 1...65535"),
        ("  - {type: syslog, transport: unix}\n", "audit[1].path: is required for unix"),
        ("  - {type: syslog, transport: unix, path: log.sock, port: 514}\n", "audit[1]: host and port are only for udp and tcp"),
        ("  - {type: syslog, transport: udp, host: h, port: 514, facility: 3}\n", "audit[1]: unknown setting 'facility'"),
        ("  - {type: syslog, transport: udp, host: h, port: 514, mode: eventually}\n", "audit[1].mode: must be strict, blocking or batch"),
    ]) func badSettingsAreRefusedByName(extra: String, message: String) throws {
        let error = try Workspace().failure(extra)
        #expect(error.code == .invalidConfiguration)
        #expect(error.message.contains(message), "\(error.message)")
    }

    @Test func aConfigurationWithoutAuditDestinationsIsRefused() throws {
        let workspace = try Workspace()
        for audit in ["", "audit: []\n"] {
            try ("policy: policies.yaml\ngrants: {signing_key: grants.jwk}\n" + audit)
                .write(toFile: workspace.path("zt.yaml"), atomically: true, encoding: .utf8)
            do {
                _ = try GatekeeperConfigurationFile.load(path: workspace.path("zt.yaml"))
                Issue.record("accepted without audit destinations: \(audit)")
            } catch {
                #expect(error.code == .invalidConfiguration)
                #expect(error.message.contains("audit:"), "\(error.message)")
            }
        }
    }

    @Test func hmacApproverKeysAreRefused() throws {
        let workspace = try Workspace()
        let secret = Data(SecureRandom.bytes(count: 32)).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        try #"{"keys":[{"kty":"oct","alg":"HS256","kid":"sec","k":"\#(secret)"}]}"#
            .write(toFile: workspace.path("security.jwks"), atomically: true, encoding: .utf8)
        let error = try workspace.failure("approvers: {security_team: security.jwks}\n")
        #expect(error.code == .invalidConfiguration)
        #expect(error.message.contains("approvers.security_team") && error.message.contains("HMAC"), "\(error.message)")
    }

    @Test func aMissingKeyFileIsUnreadable() throws {
        let error = try Workspace().failure("audit_hmac_key: missing.key\n")
        #expect(error.code == .unreadableConfiguration)
        #expect(error.message.contains("audit_hmac_key") && error.message.contains("missing.key"))
    }

    @Test func aPepperWithoutAnAPIKeyStoreIsRefused() throws {
        let workspace = try Workspace()
        try """
            policy: policies.yaml
            grants: {signing_key: grants.jwk}
            audit: [{type: stdout}]
            api_key_pepper: api-pepper.key
            """.write(toFile: workspace.path("zt.yaml"), atomically: true, encoding: .utf8)
        #expect(throws: GatekeeperError(code: .invalidConfiguration,
                                        message: "\(workspace.path("zt.yaml")): api_key_pepper: needs api_keys (the store the pepper protects)")) {
            try GatekeeperConfigurationFile.load(path: workspace.path("zt.yaml"))
        }
    }
}
