import ZeroTrustCrypto

/// A distinguished name (subject or issuer) of a certificate.
public struct DistinguishedName: Sendable, Hashable, CustomStringConvertible {
    /// One attribute, e.g. type `CN` and value `alice`.
    public struct Attribute: Sendable, Hashable {
        /// OpenSSL's short name of the attribute type: `CN`, `O`, `OU`, `C`, `emailAddress`, …
        public let type: String
        /// The value as UTF-8.
        public let value: String
    }

    /// The RFC 2253 string form, most specific attribute first (`CN=alice,OU=ML,O=Corp`).
    public let rfc2253: String
    /// The attributes in encoding order (least specific first).
    public let attributes: [Attribute]

    init(_ name: X509DistinguishedName) {
        rfc2253 = name.rfc2253
        attributes = name.attributes.map { Attribute(type: $0.shortName, value: $0.value) }
    }

    /// Every value of attribute type `type`, in order.
    public func values(of type: String) -> [String] { attributes.filter { $0.type == type }.map(\.value) }

    /// The most specific common name (the last `CN`), if any.
    public var commonName: String? { values(of: "CN").last }
    /// Every organization (`O`).
    public var organizations: [String] { values(of: "O") }
    /// Every organizational unit (`OU`).
    public var organizationalUnits: [String] { values(of: "OU") }

    /// The RFC 2253 form.
    public var description: String { rfc2253 }
}
