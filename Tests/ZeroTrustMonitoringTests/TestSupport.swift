import Foundation
import Testing
import ZeroTrustCrypto
@testable import ZeroTrustMonitoring

/// A clock the test moves by hand: every read returns the current value, then advances by `step`.
final class SteppingClock: @unchecked Sendable {
    // @unchecked: all state is behind `lock`.
    private let lock = NSLock()
    private var current: Date
    private let step: TimeInterval

    init(start: Date = Date(timeIntervalSince1970: 1_790_000_000), step: TimeInterval = 0.001) {
        current = start
        self.step = step
    }

    func now() -> Date {
        lock.withLock {
            defer { current = current.addingTimeInterval(step) }
            return current
        }
    }

    var function: @Sendable () -> Date { { self.now() } }
}

/// A fresh temporary directory, removed by `remove()`.
struct TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("zt-monitoring-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
    func remove() { try? FileManager.default.removeItem(at: url) }
}

enum Samples {
    static let base = Date(timeIntervalSince1970: 1_790_000_000)

    static func access(_ subject: String = "alice", decision: AccessEvent.Decision = .permit, ip: String? = "10.0.0.7",
                       bytes: Int? = nil) -> AuditEvent.Payload {
        .access(AccessEvent(subject: subject, roles: ["data-scientist"], sourceIP: ip, resourceType: "model",
                            resourceID: "fraud-v3", sensitivity: "confidential", action: "read", decision: decision,
                            policyID: "models-read", policyVersion: "7", reason: decision == .permit ? "role matches" : "no permit",
                            obligations: decision == .permit ? ["watermark"] : [], bytes: bytes))
    }

    static func failedLogin(_ subject: String?, ip: String?) -> AuditEvent.Payload {
        .authentication(AuthenticationEvent(subject: subject, method: .token, outcome: .failure, failureCode: "bad_signature", sourceIP: ip))
    }

    /// One event of every kind, with every optional field set.
    static func everyKind(redactor: AuditRedactor) throws -> [AuditEvent.Payload] {
        [
            access(),
            access("bob", decision: .deny, ip: nil),
            .authentication(AuthenticationEvent(subject: "svc-train", method: .apiKey, outcome: .success, sourceIP: "10.1.2.3",
                                                credential: try redactor.fingerprint(of: "sk-live-123"))),
            failedLogin(nil, ip: "203.0.113.9"),
            .authentication(AuthenticationEvent(subject: "CN=worker", method: .certificate, outcome: .failure, failureCode: "expired")),
            .token(TokenEvent(action: .issued, subject: "alice", tokenID: "jti-1", fingerprint: try redactor.fingerprint(of: "eyJ..."),
                              audience: "models", scopes: ["read", "infer"], expiresAt: base.addingTimeInterval(900))),
            .token(TokenEvent(action: .revoked, subject: "alice", tokenID: "jti-1")),
            .key(KeyEvent(operation: .generate, keyID: "kek-1", context: ["dataset": "ds-1", "purpose": "training"], subject: "kms-admin")),
            .key(KeyEvent(operation: .unwrap, keyID: "kek-1", succeeded: false)),
            .key(KeyEvent(operation: .rotate, keyID: "kek-1")),
            .key(KeyEvent(operation: .destroy, keyID: "kek-0")),
            .policyLoad(PolicyLoadEvent(source: "policies.yaml", version: "7", policyCount: 12, digest: "sha256:abcd", subject: "ops")),
            .alert(Alert(detector: "brute_force", severity: .high, summary: "12 failures", subject: "bob", sourceIP: "203.0.113.9",
                         evidence: [UUID(), UUID()])),
            .logRecovery(LogRecoveryEvent(byteOffset: 1234, discardedBytes: 56, discardedDigest: "sha256:00ff")),
        ]
    }

    static func events(_ count: Int, clock: SteppingClock = SteppingClock()) -> [AuditEvent] {
        (1...max(1, count)).prefix(count).map { index in
            AuditEvent(time: clock.now(), sequence: UInt64(index), payload: access(index % 3 == 0 ? "bob" : "alice"))
        }
    }
}
