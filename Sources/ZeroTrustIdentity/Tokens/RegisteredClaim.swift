/// The claim names RFC 7519 §4.1 registers, recognised from a member name's bytes without
/// building a `String` (the payload parser meets one on nearly every member).
enum RegisteredClaim: Int {
    case subject, issuer, audience, issuedAt, notBefore, expiresAt, tokenID

    init?(_ name: StrictJSONParser.MemberName) {
        switch name {
        case .ascii(let bytes):
            guard bytes.count == 3 else { return nil }
            self.init(packed: Self.pack(bytes[0], bytes[1], bytes[2]))
        case .decoded(let string):
            self.init(name: string)
        }
    }

    /// A name given as a `String` (without copying its bytes: every custom claim name of every
    /// issued token is checked).
    init?(name: String) {
        let utf8 = name.utf8
        guard utf8.count == 3 else { return nil }
        var bytes = utf8.makeIterator()
        guard let a = bytes.next(), let b = bytes.next(), let c = bytes.next() else { return nil }
        self.init(packed: Self.pack(a, b, c))
    }

    /// Whether the claim's value must be a string (`sub`, `iss`, `jti`).
    var isString: Bool { self == .subject || self == .issuer || self == .tokenID }

    /// Whether the claim's value must be a NumericDate (`iat`, `nbf`, `exp`).
    var isTime: Bool { self == .issuedAt || self == .notBefore || self == .expiresAt }

    /// Every claim, sorted by name (the order tokens are written in).
    static let inNameOrder: [RegisteredClaim] = [.audience, .expiresAt, .issuedAt, .issuer, .tokenID, .notBefore, .subject]

    private init?(packed: UInt32) {
        switch packed {
        case Self.pack("s", "u", "b"): self = .subject
        case Self.pack("i", "s", "s"): self = .issuer
        case Self.pack("a", "u", "d"): self = .audience
        case Self.pack("i", "a", "t"): self = .issuedAt
        case Self.pack("n", "b", "f"): self = .notBefore
        case Self.pack("e", "x", "p"): self = .expiresAt
        case Self.pack("j", "t", "i"): self = .tokenID
        default: return nil
        }
    }

    /// The claim's name as it appears in tokens.
    var name: String {
        switch self {
        case .subject: "sub"
        case .issuer: "iss"
        case .audience: "aud"
        case .issuedAt: "iat"
        case .notBefore: "nbf"
        case .expiresAt: "exp"
        case .tokenID: "jti"
        }
    }

    private static func pack(_ a: UInt8, _ b: UInt8, _ c: UInt8) -> UInt32 {
        UInt32(a) | UInt32(b) << 8 | UInt32(c) << 16
    }

    private static func pack(_ a: Unicode.Scalar, _ b: Unicode.Scalar, _ c: Unicode.Scalar) -> UInt32 {
        pack(UInt8(ascii: a), UInt8(ascii: b), UInt8(ascii: c))
    }
}
