internal import CZeroTrustSodium

/// libsodium must be initialised once before use; `sodium_init` is idempotent and thread-safe,
/// and the `static let` makes Swift run it exactly once.
enum Sodium {
    private static let initialised: Bool = sodium_init() >= 0

    static func ensureInitialised() throws(CryptoError) {
        if !initialised {
            throw CryptoError(code: .libraryFailure, message: "sodium_init failed")
        }
    }
}
