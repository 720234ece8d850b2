/// The keyUsage extension's bits (RFC 5280 §4.2.1.3).
public struct KeyUsage: OptionSet, Sendable, Hashable, CustomStringConvertible {
    /// The bits, in OpenSSL's `KU_*` layout.
    public let rawValue: UInt32

    /// Creates a set from OpenSSL's `KU_*` layout.
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// digitalSignature.
    public static let digitalSignature = KeyUsage(rawValue: 0x0080)
    /// nonRepudiation (contentCommitment).
    public static let nonRepudiation = KeyUsage(rawValue: 0x0040)
    /// keyEncipherment.
    public static let keyEncipherment = KeyUsage(rawValue: 0x0020)
    /// dataEncipherment.
    public static let dataEncipherment = KeyUsage(rawValue: 0x0010)
    /// keyAgreement.
    public static let keyAgreement = KeyUsage(rawValue: 0x0008)
    /// keyCertSign: the key signs certificates (a CA).
    public static let keyCertSign = KeyUsage(rawValue: 0x0004)
    /// cRLSign: the key signs CRLs.
    public static let cRLSign = KeyUsage(rawValue: 0x0002)
    /// encipherOnly.
    public static let encipherOnly = KeyUsage(rawValue: 0x0001)
    /// decipherOnly.
    public static let decipherOnly = KeyUsage(rawValue: 0x8000)

    private static let names: [(KeyUsage, String)] = [
        (.digitalSignature, "digitalSignature"), (.nonRepudiation, "nonRepudiation"),
        (.keyEncipherment, "keyEncipherment"), (.dataEncipherment, "dataEncipherment"),
        (.keyAgreement, "keyAgreement"), (.keyCertSign, "keyCertSign"), (.cRLSign, "cRLSign"),
        (.encipherOnly, "encipherOnly"), (.decipherOnly, "decipherOnly"),
    ]

    /// The RFC 5280 names of the bits that are set, in bit order.
    public var names: [String] { Self.names.filter { contains($0.0) }.map(\.1) }

    /// The names, comma-separated.
    public var description: String { names.joined(separator: ",") }
}

/// The basicConstraints extension (RFC 5280 §4.2.1.9).
public struct BasicConstraints: Sendable, Hashable {
    /// `cA`: whether the subject is a certificate authority.
    public let isCertificateAuthority: Bool
    /// `pathLenConstraint`, when present.
    public let pathLengthConstraint: Int?
}
