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

/// An injected sleeper the test wakes by hand: `sleep` suspends until `wakeAll()` or until its task
/// is cancelled (then it throws, as `Task.sleep` does). Records every requested duration.
final class ManualSleeper: @unchecked Sendable {
    // @unchecked: all state is behind `lock`.
    private let lock = NSLock()
    private var sleepers: [UUID: CheckedContinuation<Void, any Error>] = [:]
    private var durations: [Int] = []
    private var cancelled = 0
    private var watchers: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []

    var function: @Sendable (Int) async throws -> Void { { try await self.sleep($0) } }
    /// Every duration asked for, in order.
    var requested: [Int] { lock.withLock { durations } }
    /// Sleeps still waiting.
    var pending: Int { lock.withLock { sleepers.count } }
    /// Sleeps ended by cancellation.
    var cancellations: Int { lock.withLock { cancelled } }

    func sleep(_ milliseconds: Int) async throws {
        let id = UUID()
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let ready: [CheckedContinuation<Void, Never>] = lock.withLock {
                    durations.append(milliseconds)
                    if Task.isCancelled {
                        cancelled += 1
                        continuation.resume(throwing: CancellationError())
                    } else {
                        sleepers[id] = continuation
                    }
                    let ready = watchers.filter { $0.count <= durations.count }.map(\.continuation)
                    watchers.removeAll { $0.count <= durations.count }
                    return ready
                }
                for watcher in ready { watcher.resume() }
            }
        } onCancel: {
            let sleeper: CheckedContinuation<Void, any Error>? = lock.withLock {
                guard let sleeper = sleepers.removeValue(forKey: id) else { return nil }
                cancelled += 1
                return sleeper
            }
            sleeper?.resume(throwing: CancellationError())
        }
    }

    /// Returns once `count` sleeps have been asked for in total.
    func waitUntilRequested(_ count: Int) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now: Bool = lock.withLock {
                if durations.count >= count { return true }
                watchers.append((count, continuation))
                return false
            }
            if now { continuation.resume() }
        }
    }

    /// Ends every pending sleep normally.
    func wakeAll() {
        let woken: [CheckedContinuation<Void, any Error>] = lock.withLock {
            defer { sleepers = [:] }
            return Array(sleepers.values)
        }
        for sleeper in woken { sleeper.resume() }
    }
}
