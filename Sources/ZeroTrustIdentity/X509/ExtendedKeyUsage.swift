/// One extendedKeyUsage purpose (RFC 5280 §4.2.1.12), identified by its OID.
public struct ExtendedKeyUsage: Sendable, Hashable, CustomStringConvertible {
    /// The dotted OID.
    public let oid: String

    /// A purpose from its dotted OID.
    public init(oid: String) { self.oid = oid }

    /// TLS server authentication (id-kp-serverAuth).
    public static let serverAuth = ExtendedKeyUsage(oid: "1.3.6.1.5.5.7.3.1")
    /// TLS client authentication (id-kp-clientAuth).
    public static let clientAuth = ExtendedKeyUsage(oid: "1.3.6.1.5.5.7.3.2")
    /// Code signing (id-kp-codeSigning).
    public static let codeSigning = ExtendedKeyUsage(oid: "1.3.6.1.5.5.7.3.3")
    /// E-mail protection (id-kp-emailProtection).
    public static let emailProtection = ExtendedKeyUsage(oid: "1.3.6.1.5.5.7.3.4")
    /// Time stamping (id-kp-timeStamping).
    public static let timeStamping = ExtendedKeyUsage(oid: "1.3.6.1.5.5.7.3.8")
    /// OCSP signing (id-kp-OCSPSigning).
    public static let ocspSigning = ExtendedKeyUsage(oid: "1.3.6.1.5.5.7.3.9")
    /// anyExtendedKeyUsage. Not accepted in place of a specific purpose by ``ChainVerifier``.
    public static let any = ExtendedKeyUsage(oid: "2.5.29.37.0")

    private static let names: [String: String] = [
        serverAuth.oid: "serverAuth", clientAuth.oid: "clientAuth", codeSigning.oid: "codeSigning",
        emailProtection.oid: "emailProtection", timeStamping.oid: "timeStamping", ocspSigning.oid: "OCSPSigning",
        any.oid: "anyExtendedKeyUsage",
    ]

    /// The RFC 5280 name for well-known purposes, otherwise the OID.
    public var description: String { Self.names[oid] ?? oid }
}
