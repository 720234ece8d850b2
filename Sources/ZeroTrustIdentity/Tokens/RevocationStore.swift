public import Foundation
import Synchronization

/// Where revoked token ids (`jti`) are kept. A verifier consults it for every token; if the
/// store fails, the token is refused.
public protocol RevocationStore: Sendable {
    /// Whether `tokenID` is revoked.
    func isRevoked(_ tokenID: String) async throws -> Bool
    /// Revokes `tokenID` until `expiry` (normally the token's `exp`), after which the token is dead
    /// anyway and the entry may be forgotten.
    func revoke(_ tokenID: String, until expiry: Date) async throws
}

/// An in-memory ``RevocationStore`` that forgets entries once they expire, so it never grows
/// beyond the revoked tokens that are still alive.
public final class InMemoryRevocationStore: RevocationStore {
    private struct State {
        var entries: [String: Date] = [:]
        var nextPurge = Date.distantPast
    }

    private let state = Mutex(State())
    private let clock: @Sendable () -> Date

    /// A store using `clock` for expiry.
    public init(clock: @escaping @Sendable () -> Date = { Date() }) {
        self.clock = clock
    }

    /// Whether `tokenID` is revoked and its revocation has not expired.
    public func isRevoked(_ tokenID: String) async throws -> Bool {
        let now = clock()
        return state.withLock { state in
            guard let until = state.entries[tokenID] else { return false }
            if until <= now {
                state.entries.removeValue(forKey: tokenID)
                return false
            }
            return true
        }
    }

    /// Revokes `tokenID` until `expiry`; also drops expired entries now and then.
    public func revoke(_ tokenID: String, until expiry: Date) async throws {
        let now = clock()
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
