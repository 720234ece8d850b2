public import Foundation
import Synchronization

/// Where revoked token ids (`jti`) are kept. A verifier consults it for every token; if the
/// store fails, the token is refused.
public protocol RevocationStore: Sendable {
    /// Whether `tokenID` is revoked.
    func isRevoked(_ tokenID: String) async throws -> Bool
    /// Revokes `tokenID` until `expiry` (normally the token's `exp`). A verifier still accepts a
    /// token up to its leeway after `exp`, so a store must keep the entry at least that much
    /// longer before forgetting it.
    func revoke(_ tokenID: String, until expiry: Date) async throws
}

/// An in-memory ``RevocationStore`` that forgets entries once their tokens can no longer verify
/// (`expiry` plus ``retention``), so it never grows beyond the revoked tokens still alive.
public final class InMemoryRevocationStore: RevocationStore {
    private struct State {
        var entries: [String: Date] = [:]
        var nextPurge = Date.distantPast
    }

    private let state = Mutex(State())
    private let clock: @Sendable () -> Date
    /// How long an entry is kept after the expiry it was revoked until: at least the leeway of
    /// every verifier that consults this store (``TokenValidationOptions/leeway``, default 30 s),
    /// or a revoked token would verify again between its `exp` and `exp` plus that leeway.
    public let retention: TimeInterval

    /// A store using `clock` for expiry, keeping each entry `retention` seconds past its expiry
    /// (default 300; negative values count as 0).
    public init(retention: TimeInterval = 300, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.retention = max(0, retention)
        self.clock = clock
    }

    /// Whether `tokenID` is revoked and its entry is still kept.
    public func isRevoked(_ tokenID: String) async throws -> Bool {
        let now = clock().addingTimeInterval(-retention)
        return state.withLock { state in
            guard let until = state.entries[tokenID] else { return false }
            if until <= now {
                state.entries.removeValue(forKey: tokenID)
                return false
            }
            return true
        }
    }

    /// Revokes `tokenID` until `expiry` (kept ``retention`` longer); also drops entries past
    /// that now and then.
    public func revoke(_ tokenID: String, until expiry: Date) async throws {
        let now = clock().addingTimeInterval(-retention)
        state.withLock { state in
            state.entries[tokenID] = max(expiry, state.entries[tokenID] ?? expiry)
            if now >= state.nextPurge {
                state.entries = state.entries.filter { $0.value > now }
                state.nextPurge = now.addingTimeInterval(60)
            }
        }
    }

    /// The number of entries held (expired ones may linger until the next purge).
    public var count: Int { state.withLock { $0.entries.count } }
}
