public import Foundation

/// A token issued or revoked. The token value itself never appears.
public struct TokenEvent: Sendable, Hashable {
    /// What happened to the token.
    public enum Action: String, Sendable, Hashable, CaseIterable {
        /// A token was minted.
        case issued
        /// A token was revoked before it expired.
        case revoked
    }

    /// What happened.
    public var action: Action
    /// The token's subject.
    public var subject: String
    /// The token id (`jti`), which is not secret.
    public var tokenID: String?
    /// A keyed fingerprint of the token value, when the id alone is not enough.
    public var fingerprint: SecretFingerprint?
    /// The audience.
    public var audience: String?
    /// The scopes granted.
    public var scopes: [String]
    /// When the token expires.
    public var expiresAt: Date?

    /// Creates a token event.
    public init(action: Action, subject: String, tokenID: String? = nil, fingerprint: SecretFingerprint? = nil,
                audience: String? = nil, scopes: [String] = [], expiresAt: Date? = nil) {
        self.action = action
        self.subject = subject
        self.tokenID = tokenID
        self.fingerprint = fingerprint
        self.audience = audience
        self.scopes = scopes
        self.expiresAt = expiresAt.map(RFC3339.normalized)
    }
}
