/// A `TokenVerifier` held by reference, as the gatekeeper keeps it: an `await`ed verifier is
/// copied, one reference count per field, and those counts are shared by every core verifying
/// with the gatekeeper; a reference is one count, and with one reference per CPU that count
/// stays in the core's cache.
final class BearerTokenVerifier: Sendable {
    let verifier: TokenVerifier

    init(_ verifier: TokenVerifier) { self.verifier = verifier }

    nonisolated(nonsending) func verify(_ token: String) async throws(TokenError) -> VerifiedToken {
        try await verifier.verify(token)
    }
}
