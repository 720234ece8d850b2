import Foundation
import Testing
@testable import ZeroTrustIdentity
import ZeroTrustCrypto

/// A settable clock for tests.
final class TestClock: @unchecked Sendable {
    // Tests set the time from one task; the lock makes reads from verifiers safe anyway.
    private let lock = NSLock()
    private var current: Date
    init(_ start: Date) { current = start }
    var now: Date {
        get { lock.withLock { current } }
        set { lock.withLock { current = newValue } }
    }
    var function: @Sendable () -> Date { { [self] in self.now } }
}

func tokenError(_ code: TokenError.Code, _ body: () throws -> Void) -> Bool {
    do {
        try body()
        return false
    } catch let error as TokenError {
        if error.code != code { Issue.record("expected \(code), got \(error)") }
        return error.code == code
    } catch {
        Issue.record("unexpected error \(error)")
        return false
    }
}

func tokenError(_ code: TokenError.Code, _ body: () async throws -> Void) async -> Bool {
    do {
        try await body()
        return false
    } catch let error as TokenError {
        if error.code != code { Issue.record("expected \(code), got \(error)") }
        return error.code == code
    } catch {
        Issue.record("unexpected error \(error)")
        return false
    }
}

/// Builds a compact token from raw header and payload JSON text and a signing key, bypassing the
/// issuer's rules, to test what the verifier does with hostile tokens.
func craft(header: String, payload: String, key: SigningKey?) throws -> String {
    let input = Base64URL.encode(Array(header.utf8)) + "." + Base64URL.encode(Array(payload.utf8))
    let signature = try key?.signature(for: Array(input.utf8)) ?? []
    return input + "." + Base64URL.encode(signature)
}

let epoch = Date(timeIntervalSince1970: 1_800_000_000)
