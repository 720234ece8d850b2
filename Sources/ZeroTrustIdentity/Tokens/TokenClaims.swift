public import Foundation

/// The claims of a token: the registered ones of RFC 7519 §4.1 as typed properties, everything
/// else in ``custom``.
public struct TokenClaims: Sendable, Hashable {
    /// `sub`.
    public var subject: String?
    /// `iss`.
    public var issuer: String?
    /// `aud`, always as an array (a single string in the token is one element).
    public var audience: [String]
    /// `iat`.
    public var issuedAt: Date?
    /// `nbf`.
    public var notBefore: Date?
    /// `exp`.
    public var expiresAt: Date?
    /// `jti`.
    public var tokenID: String?
    /// Every other claim.
    public var custom: [String: JSONValue]

    /// The names RFC 7519 registers, which ``custom`` may not hold.
    public static let registeredNames: Set<String> = ["sub", "iss", "aud", "iat", "nbf", "exp", "jti"]

    /// Claims with the given registered values.
    public init(subject: String? = nil, issuer: String? = nil, audience: [String] = [], issuedAt: Date? = nil,
                notBefore: Date? = nil, expiresAt: Date? = nil, tokenID: String? = nil, custom: [String: JSONValue] = [:]) {
        self.subject = subject
        self.issuer = issuer
        self.audience = audience
        self.issuedAt = issuedAt
        self.notBefore = notBefore
        self.expiresAt = expiresAt
        self.tokenID = tokenID
        self.custom = custom
    }

    /// The `roles` claim (array of strings), or empty.
    public var roles: [String] { custom["roles"]?.stringArrayValue ?? [] }
    /// The `permissions` claim (array of strings), or empty.
    public var permissions: [String] { custom["permissions"]?.stringArrayValue ?? [] }
    /// The `org` claim.
    public var organization: String? { custom["org"]?.stringValue }
    /// The `amr` claim (RFC 8176 authentication methods), or empty.
    public var authenticationMethods: [String] { custom["amr"]?.stringArrayValue ?? [] }

    /// Reads claims from a decoded payload object, checking the registered claims' types.
    init(payload: [(String, JSONValue)]) throws(TokenError) {
        self.init()
        for (name, value) in payload {
            switch name {
            case "sub": subject = try Self.string(value, name)
            case "iss": issuer = try Self.string(value, name)
            case "jti": tokenID = try Self.string(value, name)
            case "iat": issuedAt = try Self.date(value, name)
            case "nbf": notBefore = try Self.date(value, name)
            case "exp": expiresAt = try Self.date(value, name)
            case "aud":
                if case .string(let single) = value {
                    audience = [single]
                } else if let many = value.stringArrayValue {
                    audience = many
                } else {
                    throw TokenError(code: .invalidClaim, message: "\"aud\" must be a string or an array of strings")
                }
            default: custom[name] = value
            }
        }
    }

    private static func string(_ value: JSONValue, _ name: String) throws(TokenError) -> String {
        guard case .string(let text) = value else { throw TokenError(code: .invalidClaim, message: "\"\(name)\" must be a string") }
        return text
    }

    private static func date(_ value: JSONValue, _ name: String) throws(TokenError) -> Date {
        guard let seconds = value.numberValue else {
            throw TokenError(code: .invalidClaim, message: "\"\(name)\" must be a NumericDate (a JSON number)")
        }
        return Date(timeIntervalSince1970: seconds)
    }

    /// The payload object these claims encode to.
    var payload: [String: JSONValue] {
        var object = custom
        if let subject { object["sub"] = .string(subject) }
        if let issuer { object["iss"] = .string(issuer) }
        if audience.count == 1, let only = audience.first { object["aud"] = .string(only) }
        if audience.count > 1 { object["aud"] = .array(audience.map(JSONValue.string)) }
        if let issuedAt { object["iat"] = Self.numericDate(issuedAt) }
        if let notBefore { object["nbf"] = Self.numericDate(notBefore) }
        if let expiresAt { object["exp"] = Self.numericDate(expiresAt) }
        if let tokenID { object["jti"] = .string(tokenID) }
        return object
    }

    private static func numericDate(_ date: Date) -> JSONValue {
        .integer(Int64(date.timeIntervalSince1970.rounded(.down)))
    }
}
