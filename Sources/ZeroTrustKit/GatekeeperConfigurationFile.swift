public import Foundation
import Yams

/// Loads a ``Gatekeeper/Configuration`` from a YAML file (`zt.yaml`). Relative paths are relative
/// to the file's directory; unknown keys are errors, so a misspelt setting never silently turns a
/// check off.
///
/// ```yaml
/// policy: policies.yaml               # required: the policy file
/// max_token_lifetime: 900             # seconds, 1...3600 (default 900)
/// grants:                             # required: signs the tokens minted on a permit
///   signing_key: grant.jwk            # private JWK (zt token keygen)
///   issuer: https://gatekeeper.example
/// trust_store: ca/root.pem            # client certificates: PEM bundle of anchors
/// crls: [ca/crl.pem]                  # revocation lists (PEM)
/// role_mapping: roles.yaml            # certificate → roles (RoleMapping YAML)
/// tokens:                             # bearer tokens
///   jwks: users.jwks                  # JWK Set with the verification keys
///   issuer: https://idp.example       # required iss (optional)
///   audience: registry                # required aud (optional)
///   leeway: 30
///   max_lifetime: 3600
/// api_keys: api-keys.json             # FileAPIKeyStore (zt apikey)
/// approvers:                          # approval name → JWK Set of the approver's keys
///   security_team: security-team.jwks
/// audit:                              # destinations, in order (at least one)
///   - type: file                      # a hash-chained, signed log (zt audit verify)
///     path: audit.log
///     signing_key: audit-signing.pem  # Ed25519 private key PEM (zt audit keygen)
///     mode: strict                    # strict | blocking | batch (default strict)
///   - type: stdout
///     mode: batch
///   - type: syslog                    # RFC 5424 syslog: udp | tcp (host, port) or unix (path)
///     transport: tcp
///     host: 127.0.0.1
///     port: 6514
///     mode: blocking
/// audit_hmac_key: audit-hmac.key      # 32-byte key (raw or base64): fingerprints rejected secrets in events
/// api_key_pepper: api-pepper.key      # 32-byte key (raw or base64): the API key store's pepper
/// anomaly_detection:                  # detectors over every event; alerts go to the audit destinations
///   enabled: true                     # default true when the section is present
///   credential_stuffing: {attempts: 25, distinct_subjects: 15, window: 900}
///   brute_force: {failures: 10, window: 300}
///   denied_burst: {denials: 10, window: 60}
///   unusual_time: {enabled: false}    # each detector: enabled (default true) and its thresholds
///   unusual_volume: {window: 3600, z_score: 3, minimum_requests: 100, minimum_bytes: 104857600, minimum_windows: 6}
/// kms:                                # for sealData/openData
///   directory: kms
///   master_key_file: kms.key
/// ```
public enum GatekeeperConfigurationFile {
    private static let topKeys: Set<String> = ["policy", "max_token_lifetime", "grants", "trust_store", "crls", "role_mapping",
                                               "tokens", "api_keys", "approvers", "audit", "kms",
                                               "audit_hmac_key", "api_key_pepper", "anomaly_detection"]

    /// Reads and validates the file at `path`; `clock` times requests, tokens and audit events.
    /// A `stdout` audit destination writes to `standardOutputDescriptor` (a program whose standard
    /// output carries its own result, such as `zt authorize`, passes 2). Throws
    /// ``GatekeeperError/Code/unreadableConfiguration`` or ``GatekeeperError/Code/invalidConfiguration``
    /// naming the file and the setting.
    public static func load(path: String, clock: @escaping @Sendable () -> Date = { Date() },
                            standardOutputDescriptor: Int32 = 1) throws(GatekeeperError) -> Gatekeeper.Configuration {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw GatekeeperError(code: .unreadableConfiguration, message: "cannot read \(path)")
        }
        let root: [String: Any]
        do {
            guard let mapping = try Yams.load(yaml: text) as? [String: Any] else {
                throw GatekeeperError(code: .invalidConfiguration, message: "\(path): the document must be a mapping")
            }
            root = mapping
        } catch let error as GatekeeperError {
            throw error
        } catch {
            throw GatekeeperError(code: .unreadableConfiguration, message: "\(path): not valid YAML: \(error)")
        }
        let reader = Reader(file: path, base: URL(fileURLWithPath: path).deletingLastPathComponent().path, clock: clock,
                            standardOutputDescriptor: standardOutputDescriptor)
        do {
            return try reader.configuration(root)
        } catch let error as GatekeeperError {
            throw error
        } catch {
            throw GatekeeperError(code: .invalidConfiguration, message: "\(path): \(error)")
        }
    }

    private struct Reader {
        let file: String
        let base: String
        let clock: @Sendable () -> Date
        let standardOutputDescriptor: Int32

        func fail(_ key: String, _ message: String) -> GatekeeperError {
            GatekeeperError(code: .invalidConfiguration, message: "\(file): \(key): \(message)")
        }

        func resolve(_ relative: String) -> String {
            relative.hasPrefix("/") ? relative : base + "/" + relative
        }

        func string(_ map: [String: Any], _ key: String, in section: String = "") throws -> String? {
            guard let value = map[key] else { return nil }
            if let text = value as? String { return text }
            if let number = value as? Int { return String(number) }
            throw fail(section + key, "must be a string")
        }

        func path(_ map: [String: Any], _ key: String, in section: String = "") throws -> String? {
            try string(map, key, in: section).map(resolve)
        }

        func integer(_ map: [String: Any], _ key: String, in section: String = "") throws -> Int? {
            guard let value = map[key] else { return nil }
            guard let number = value as? Int else { throw fail(section + key, "must be an integer") }
            return number
        }

        /// A non-negative number (integer or decimal) — windows in seconds, shares, z-scores.
        func number(_ map: [String: Any], _ key: String, in section: String = "") throws -> Double? {
            guard let value = map[key] else { return nil }
            let number: Double
            if let integer = value as? Int { number = Double(integer) } else if let decimal = value as? Double { number = decimal } else {
                throw fail(section + key, "must be a number")
            }
            guard number.isFinite, number >= 0 else { throw fail(section + key, "must not be negative") }
            return number
        }

        func positive(_ map: [String: Any], _ key: String, in section: String) throws -> Int? {
            guard let value = try integer(map, key, in: section) else { return nil }
            guard value > 0 else { throw fail(section + key, "must be positive") }
            return value
        }

        func boolean(_ map: [String: Any], _ key: String, in section: String = "") throws -> Bool? {
            guard let value = map[key] else { return nil }
            guard let flag = value as? Bool else { throw fail(section + key, "must be true or false") }
            return flag
        }

        /// A 32-byte key file (raw, or base64 on one line), read with ``SecretFile`` so it never
        /// lingers in ordinary memory; the error names the setting, never the contents.
        func symmetricKey(_ map: [String: Any], _ key: String) throws -> SymmetricKey? {
            guard let keyPath = try path(map, key) else { return nil }
            let contents: SecureBytes
            do { contents = try SecretFile.read(keyPath, maximumByteCount: 4096) } catch {
                throw GatekeeperError(code: .unreadableConfiguration, message: "\(file): \(key): cannot read \(keyPath)")
            }
            guard let symmetricKey = SymmetricKey.fromKeyFile(contents) else {
                throw fail(key, "\(keyPath) does not hold a 32-byte key (raw or base64)")
            }
            return symmetricKey
        }

        func mapping(_ value: Any?, _ key: String, allowed: Set<String>) throws -> [String: Any]? {
            guard let value else { return nil }
            guard let map = value as? [String: Any] else { throw fail(key, "must be a mapping") }
            if let unknown = map.keys.sorted().first(where: { !allowed.contains($0) }) {
                throw fail(key, "unknown setting '\(unknown)'")
            }
            return map
        }

        func read(_ path: String, _ key: String) throws -> String {
            do { return try String(contentsOfFile: path, encoding: .utf8) } catch {
                throw GatekeeperError(code: .unreadableConfiguration, message: "\(file): \(key): cannot read \(path)")
            }
        }

        func keyRing(jwks path: String, _ key: String) throws -> KeyRing {
            do {
                return try KeyRing(verificationKeys: try JWKSet(json: try read(path, key)).verificationKeys())
            } catch let error as GatekeeperError { throw error } catch { throw fail(key, "\(path): \(error)") }
        }

        func configuration(_ root: [String: Any]) throws -> Gatekeeper.Configuration {
            if let unknown = root.keys.sorted().first(where: { !topKeys.contains($0) }) {
                throw fail(unknown, "unknown setting")
            }
            guard let policyPath = try path(root, "policy") else { throw fail("policy", "is required") }
            let policy: PolicyDecisionPoint
            do {
                policy = try PolicyDecisionPoint(try PolicyLoader.load(yaml: try read(policyPath, "policy")))
            } catch let error as GatekeeperError { throw error } catch { throw fail("policy", "\(policyPath): \(error)") }

            let maximum = try integer(root, "max_token_lifetime") ?? 900
            guard (1...Gatekeeper.maximumTokenLifetimeLimit).contains(maximum) else {
                throw fail("max_token_lifetime", "\(maximum) is outside 1...3600")
            }
            guard let grants = try mapping(root["grants"], "grants", allowed: ["signing_key", "issuer"]) else {
                throw fail("grants", "is required (the key that signs granted tokens)")
            }
            guard let grantKeyPath = try path(grants, "signing_key", in: "grants.") else { throw fail("grants.signing_key", "is required") }
            let grantKey: SigningKey
            do {
                let bytes = try SecretFile.read(grantKeyPath, maximumByteCount: 64 << 10)
                grantKey = try bytes.withUnsafeBytes { raw throws(TokenError) in try JWK(json: Array(raw)).signingKey() }
            } catch { throw fail("grants.signing_key", "\(grantKeyPath): \(error)") }
            let tokenIssuer = TokenIssuer(keyRing: try KeyRing(signingKey: grantKey), issuer: try string(grants, "issuer", in: "grants."),
                                          maximumLifetime: TimeInterval(Gatekeeper.maximumTokenLifetimeLimit), clock: clock)

            var configuration = Gatekeeper.Configuration(policy: policy, auditDestinations: try audit(root["audit"]),
                                                         tokenIssuer: tokenIssuer, maximumTokenLifetime: maximum, clock: clock)
            if let anchors = try path(root, "trust_store") {
                do { configuration.trustStore = try TrustStore(pemBundle: try read(anchors, "trust_store")) } catch let error as GatekeeperError {
                    throw error
                } catch { throw fail("trust_store", "\(anchors): \(error)") }
            }
            if let crls = root["crls"] {
                guard let list = crls as? [String] else { throw fail("crls", "must be a list of paths") }
                for crl in list.map(resolve) {
                    do { configuration.certificatePolicy.crls += try CertificateRevocationList.parseBundle(pemEncoded: try read(crl, "crls")) }
                    catch let error as GatekeeperError { throw error } catch { throw fail("crls", "\(crl): \(error)") }
                }
            }
            if let mappingPath = try path(root, "role_mapping") {
                do { configuration.roleMapping = try RoleMapping(yaml: try read(mappingPath, "role_mapping")) }
                catch let error as GatekeeperError { throw error } catch { throw fail("role_mapping", "\(mappingPath): \(error)") }
            }
            if let tokens = try mapping(root["tokens"], "tokens", allowed: ["jwks", "issuer", "audience", "leeway", "max_lifetime"]) {
                guard let jwks = try path(tokens, "jwks", in: "tokens.") else { throw fail("tokens.jwks", "is required") }
                let options = TokenValidationOptions(
                    issuer: try string(tokens, "issuer", in: "tokens."), audience: try string(tokens, "audience", in: "tokens."),
                    leeway: TimeInterval(try integer(tokens, "leeway", in: "tokens.") ?? 30),
                    maximumLifetime: TimeInterval(try integer(tokens, "max_lifetime", in: "tokens.") ?? 3600), clock: clock)
                configuration.tokenVerifier = TokenVerifier(keyRing: try keyRing(jwks: jwks, "tokens.jwks"), options: options)
            }
            let pepper = try symmetricKey(root, "api_key_pepper")
            if let store = try path(root, "api_keys") {
                do { configuration.apiKeys = APIKeyIssuer(store: try FileAPIKeyStore(path: store), pepper: pepper, clock: clock) }
                catch { throw fail("api_keys", "\(store): \(error)") }
            } else if pepper != nil {
                throw fail("api_key_pepper", "needs api_keys (the store the pepper protects)")
            }
            configuration.redactor = try symmetricKey(root, "audit_hmac_key").map(AuditRedactor.init(key:))
            if let detectors = try anomalyDetectors(root["anomaly_detection"]) {
                configuration.anomalyMonitor = AnomalyMonitor(
                    detectors: detectors, alertSink: AlertFanOut(sinks: configuration.auditDestinations.map(\.sink)))
            }
            if let approvers = root["approvers"] {
                guard let map = approvers as? [String: String] else { throw fail("approvers", "must map approval names to JWK Set paths") }
                var rings: [Approval: KeyRing] = [:]
                for (name, jwks) in map {
                    let ring = try keyRing(jwks: resolve(jwks), "approvers.\(name)")
                    // With an HMAC secret, whoever runs the gatekeeper could mint approvals too.
                    guard !ring.verificationKeys.contains(where: \.algorithm.isSymmetric) else {
                        throw fail("approvers.\(name)", "approval keys must be public keys (ES256, EdDSA, RS256…), not HMAC secrets")
                    }
                    rings[Approval(rawValue: name)] = ring
                }
                configuration.approvals = ApprovalTokens(keyRings: rings, clock: clock)
            }
            if let kms = try mapping(root["kms"], "kms", allowed: ["directory", "master_key_file"]) {
                guard let directory = try path(kms, "directory", in: "kms."), let keyFile = try path(kms, "master_key_file", in: "kms.") else {
                    throw fail("kms", "needs directory and master_key_file")
                }
                do { configuration.kms = try LocalKMS(directory: directory, masterKey: .keyFile(keyFile), now: clock) }
                catch { throw fail("kms", "\(directory): \(error)") }
            }
            return configuration
        }

        func audit(_ value: Any?) throws -> [AuditDestination] {
            guard let value else { throw fail("audit", "is required: every decision is recorded") }
            guard let list = value as? [Any], !list.isEmpty else { throw fail("audit", "must be a list of one or more destinations") }
            var destinations: [AuditDestination] = []
            for (index, item) in list.enumerated() {
                let key = "audit[\(index)]"
                guard let map = try mapping(item, key, allowed: ["type", "path", "signing_key", "mode", "transport", "host", "port"]) else {
                    continue
                }
                let modeName = try string(map, "mode", in: key + ".") ?? "strict"
                guard let mode = DeliveryMode(rawValue: modeName) else { throw fail(key + ".mode", "must be strict, blocking or batch") }
                switch try string(map, "type", in: key + ".") {
                case "file":
                    guard let logPath = try path(map, "path", in: key + "."), let keyPath = try path(map, "signing_key", in: key + ".") else {
                        throw fail(key, "a file destination needs path and signing_key")
                    }
                    do {
                        let signing = try Ed25519.PrivateKey(pemRepresentation: try SecretFile.readText(keyPath))
                        let sink = try AuditFileSink(path: logPath, configuration: ChainedLogConfiguration(signingKey: signing, clock: clock))
                        destinations.append(AuditDestination(name: "file:\(logPath)", sink: sink, mode: mode))
                    } catch { throw fail(key, "\(logPath): \(error)") }
                case "stdout":
                    destinations.append(AuditDestination(name: "stdout", sink: StandardOutputSink(fileDescriptor: standardOutputDescriptor),
                                                         mode: mode))
                case "syslog":
                    let transport = try syslogTransport(map, key)
                    do {
                        destinations.append(AuditDestination(name: "syslog:" + Self.name(of: transport), sink: try SyslogSink(transport: transport),
                                                             mode: mode))
                    } catch { throw fail(key, "\(error)") }
                default:
                    throw fail(key + ".type", "must be file, stdout or syslog")
                }
            }
            return destinations
        }

        /// `udp://host:port`, `tcp://host:port` or `unix:path`, for destination names.
        static func name(of transport: SyslogSink.Transport) -> String {
            switch transport {
            case .udp(let host, let port): "udp://\(host):\(port)"
            case .tcp(let host, let port): "tcp://\(host):\(port)"
            case .unixSocket(let path): "unix:\(path)"
            }
        }

        func syslogTransport(_ map: [String: Any], _ key: String) throws -> SyslogSink.Transport {
            let section = key + "."
            switch try string(map, "transport", in: section) {
            case "udp", "tcp":
                guard let host = try string(map, "host", in: section), !host.isEmpty else { throw fail(section + "host", "is required for udp and tcp") }
                guard let port = try integer(map, "port", in: section) else { throw fail(section + "port", "is required for udp and tcp") }
                guard let number = UInt16(exactly: port), number > 0 else { throw fail(section + "port", "\(port) is outside 1...65535") }
                if map["path"] != nil { throw fail(section + "path", "is only for the unix transport") }
                return map["transport"] as? String == "udp" ? .udp(host: host, port: number) : .tcp(host: host, port: number)
            case "unix":
                guard let socket = try path(map, "path", in: section) else { throw fail(section + "path", "is required for unix") }
                if map["host"] != nil || map["port"] != nil { throw fail(key, "host and port are only for udp and tcp") }
                return .unixSocket(path: socket)
            case nil:
                throw fail(section + "transport", "is required for syslog (udp, tcp or unix)")
            default:
                throw fail(section + "transport", "must be udp, tcp or unix")
            }
        }

        /// The detectors `anomaly_detection` enables, with their thresholds (nil: detection off).
        /// Every value is checked, including those of disabled detectors, so a typo never hides.
        func anomalyDetectors(_ value: Any?) throws -> [any AnomalyDetector]? {
            let names = ["enabled", "credential_stuffing", "brute_force", "denied_burst", "unusual_time", "unusual_volume"]
            guard let section = try mapping(value, "anomaly_detection", allowed: Set(names)) else { return nil }
            var detectors: [any AnomalyDetector] = []
            func settings(_ name: String, _ keys: Set<String>) throws -> (map: [String: Any], section: String, enabled: Bool) {
                let key = "anomaly_detection." + name
                let map = try mapping(section[name], key, allowed: keys.union(["enabled"])) ?? [:]
                return (map, key + ".", try boolean(map, "enabled", in: key + ".") ?? true)
            }

            let stuffing = try settings("credential_stuffing", ["attempts", "distinct_subjects", "window"])
            var stuffingConfiguration = CredentialStuffingDetector.Configuration()
            stuffingConfiguration.attempts = try positive(stuffing.map, "attempts", in: stuffing.section) ?? stuffingConfiguration.attempts
            stuffingConfiguration.distinctSubjects = try positive(stuffing.map, "distinct_subjects", in: stuffing.section)
                ?? stuffingConfiguration.distinctSubjects
            stuffingConfiguration.window = try window(stuffing.map, in: stuffing.section) ?? stuffingConfiguration.window
            if stuffing.enabled { detectors.append(CredentialStuffingDetector(configuration: stuffingConfiguration)) }

            let bruteForce = try settings("brute_force", ["failures", "window"])
            var bruteForceConfiguration = BruteForceDetector.Configuration()
            bruteForceConfiguration.failures = try positive(bruteForce.map, "failures", in: bruteForce.section) ?? bruteForceConfiguration.failures
            bruteForceConfiguration.window = try window(bruteForce.map, in: bruteForce.section) ?? bruteForceConfiguration.window
            if bruteForce.enabled { detectors.append(BruteForceDetector(configuration: bruteForceConfiguration)) }

            let denied = try settings("denied_burst", ["denials", "window"])
            var deniedConfiguration = DeniedBurstDetector.Configuration()
            deniedConfiguration.denials = try positive(denied.map, "denials", in: denied.section) ?? deniedConfiguration.denials
            deniedConfiguration.window = try window(denied.map, in: denied.section) ?? deniedConfiguration.window
            if denied.enabled { detectors.append(DeniedBurstDetector(configuration: deniedConfiguration)) }

            let time = try settings("unusual_time", ["minimum_history", "minimum_share"])
            var timeConfiguration = UnusualTimeDetector.Configuration()
            timeConfiguration.minimumHistory = try positive(time.map, "minimum_history", in: time.section) ?? timeConfiguration.minimumHistory
            if let share = try number(time.map, "minimum_share", in: time.section) {
                guard share <= 1 else { throw fail(time.section + "minimum_share", "must be between 0 and 1") }
                timeConfiguration.minimumShare = share
            }
            if time.enabled { detectors.append(UnusualTimeDetector(configuration: timeConfiguration)) }

            let volume = try settings("unusual_volume", ["window", "z_score", "minimum_requests", "minimum_bytes", "minimum_windows"])
            var volumeConfiguration = UnusualVolumeDetector.Configuration()
            volumeConfiguration.window = try window(volume.map, in: volume.section) ?? volumeConfiguration.window
            volumeConfiguration.zScore = try number(volume.map, "z_score", in: volume.section) ?? volumeConfiguration.zScore
            volumeConfiguration.minimumRequests = try positive(volume.map, "minimum_requests", in: volume.section) ?? volumeConfiguration.minimumRequests
            volumeConfiguration.minimumBytes = try positive(volume.map, "minimum_bytes", in: volume.section) ?? volumeConfiguration.minimumBytes
            volumeConfiguration.minimumWindows = try positive(volume.map, "minimum_windows", in: volume.section) ?? volumeConfiguration.minimumWindows
            if volume.enabled { detectors.append(UnusualVolumeDetector(configuration: volumeConfiguration)) }

            return try boolean(section, "enabled", in: "anomaly_detection.") ?? true ? detectors : nil
        }

        /// A detector's window, in seconds (at least 1).
        func window(_ map: [String: Any], in section: String) throws -> TimeInterval? {
            guard let seconds = try number(map, "window", in: section) else { return nil }
            guard seconds >= 1 else { throw fail(section + "window", "must be at least 1 second") }
            return seconds
        }
    }
}
