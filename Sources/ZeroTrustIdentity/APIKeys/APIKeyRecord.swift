public import Foundation

/// What a store keeps about an API key: never the key itself, only a keyed hash of its secret part.
public struct APIKeyRecord: Sendable, Hashable, Codable {
    /// The public identifier, the `<id>` in `ztk_<id>_<secret>`.
    public let id: String
    /// A readable name for operators (e.g. the deployed model it belongs to).
    public var name: String
    /// `blake2b-256:` followed by the hex BLAKE2b-256 of the secret part, keyed with the store's
    /// pepper when one is configured.
    public let secretHash: String
    /// Roles the key grants.
    public var roles: [String]
    /// Scopes (permissions) the key grants.
    public var scopes: [String]
    /// When the key was created.
    public let createdAt: Date
    /// When the key stops working, if ever.
    public var expiresAt: Date?
    /// When the key was revoked, if it was.
    public var revokedAt: Date?

    /// A record.
    public init(id: String, name: String, secretHash: String, roles: [String], scopes: [String], createdAt: Date,
                expiresAt: Date?, revokedAt: Date? = nil) {
        self.id = id
        self.name = name
        self.secretHash = secretHash
        self.roles = roles
        self.scopes = scopes
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, name, roles, scopes
        case secretHash = "secret_hash"
        case createdAt = "created_at"
        case expiresAt = "expires_at"
        case revokedAt = "revoked_at"
    }
}
