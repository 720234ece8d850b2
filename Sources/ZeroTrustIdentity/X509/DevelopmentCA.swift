public import Foundation
import ZeroTrustCrypto

/// A small certificate authority for tests, demos and local set-ups: a root CA, optionally an
/// intermediate, and client/server leaf certificates and CRLs issued from them.
///
/// **Not a production CA.** Keys live in plain PEM files (mode 0600), there is no issuance
/// policy, no audit log, no serial-number registry, no OCSP and no key protection beyond file
/// permissions. Use it to exercise ``ChainVerifier`` and mTLS locally, never to secure real traffic.
///
/// ```swift
/// let ca = try DevelopmentCA.create(name: "Dev", intermediate: true)
/// var request = DevelopmentCA.LeafRequest(commonName: "trainer")
/// request.spiffeID = try SPIFFEID(parsing: "spiffe://dev.example/ml/trainer")
/// let issued = try ca.issue(request)
/// try issued.write(certificateTo: "trainer.pem", privateKeyTo: "trainer-key.pem")
/// ```
public struct DevelopmentCA: Sendable {
    /// The key types the CA and its leaves can use.
    public enum KeyType: String, Sendable, Hashable, CaseIterable {
        /// ECDSA on P-256 with SHA-256 (the default).
        case p256
        /// Ed25519.
        case ed25519
        /// RSA, 2048 bits, PKCS#1 v1.5 signatures with SHA-256.
        case rsa2048

        var spec: X509KeySpec {
            switch self {
            case .p256: .ecP256
            case .ed25519: .ed25519
            case .rsa2048: .rsa(bits: 2048)
            }
        }
    }

    /// Which of the CA's certificates signs (a CRL, for instance).
    public enum Level: Sendable, Hashable {
        /// The root CA.
        case root
        /// The intermediate CA.
        case intermediate
    }

    /// The extended key usage of a leaf.
    public enum Usage: String, Sendable, Hashable, CaseIterable {
        /// clientAuth (mTLS clients).
        case client
        /// serverAuth (TLS servers).
        case server
        /// Both clientAuth and serverAuth.
        case clientAndServer
    }

    /// What to put in a leaf certificate.
    public struct LeafRequest: Sendable {
        /// The subject CN.
        public var commonName: String
        /// Subject `O` values.
        public var organizations: [String] = []
        /// Subject `OU` values.
        public var organizationalUnits: [String] = []
        /// dNSName SANs (letters, digits, `-`, `.`, and `*` for a wildcard label).
        public var dnsNames: [String] = []
        /// iPAddress SANs, textual IPv4 or IPv6.
        public var ipAddresses: [String] = []
        /// URI SANs (printable ASCII without commas or spaces).
        public var uris: [String] = []
        /// A SPIFFE ID, added as a URI SAN (the leaf then follows the X509-SVID rules).
        public var spiffeID: SPIFFEID?
        /// rfc822Name SANs.
        public var emails: [String] = []
        /// Extended key usage. Default ``Usage/client``.
        public var usage: Usage = .client
        /// Validity from issuance, in seconds. Default 30 days.
        public var validity: TimeInterval = 30 * 86_400
        /// The leaf's key type. Default P-256.
        public var keyType: KeyType = .p256

        /// A request for `commonName` with the defaults above.
        public init(commonName: String) { self.commonName = commonName }
    }

    /// The root CA certificate: the trust anchor to give verifiers.
    public let root: Certificate
    /// The intermediate CA certificate, when the CA has one; it then issues the leaves.
    public let intermediate: Certificate?
    let rootKey: X509PrivateKey
    let intermediateKey: X509PrivateKey?

    /// The certificate that issues leaves: the intermediate when there is one, else the root.
    public var issuingCertificate: Certificate { intermediate ?? root }

    /// Creates a new root (and with `intermediate`, an intermediate with pathlen 0) named `name`.
    /// With `permittedDNSDomains`, the issuing CA carries a critical nameConstraints extension
    /// permitting only those DNS subtrees (e.g. `corp.example`).
    public static func create(name: String, keyType: KeyType = .p256, intermediate: Bool = false,
                              permittedDNSDomains: [String] = [], validity: TimeInterval = 10 * 365 * 86_400,
                              now: Date = Date()) throws(CertificateError) -> DevelopmentCA {
        guard !name.isEmpty else { throw CertificateError(code: .invalidParameter, message: "the CA name is empty") }
        for domain in permittedDNSDomains { try requireDNSName(domain) }
        let constraints = permittedDNSDomains.isEmpty ? [] :
            [("nameConstraints", "critical," + permittedDNSDomains.map { "permitted;DNS:\($0)" }.joined(separator: ","))]
        let start = try UnixTime.seconds(now)
        let end = start + (try UnixTime.duration(validity, what: "the CA validity"))
        return try crypto { () throws(CryptoError) in
            let rootKey = try X509PrivateKey.generate(keyType.spec)
            let root = try X509Builder.issue(
                X509CertificateTemplate(
                    subject: [X509NameAttribute(shortName: "O", value: name), X509NameAttribute(shortName: "CN", value: "\(name) Root CA")],
                    notBefore: start, notAfter: end,
                    extensions: [("basicConstraints", "critical,CA:TRUE"), ("keyUsage", "critical,keyCertSign,cRLSign"),
                                 ("subjectKeyIdentifier", "hash")] + (intermediate ? [] : constraints)),
                subjectKey: rootKey, issuer: nil)
            guard intermediate else {
                return DevelopmentCA(root: Certificate(handle: root), intermediate: nil, rootKey: rootKey, intermediateKey: nil)
            }
            let intermediateKey = try X509PrivateKey.generate(keyType.spec)
            let certificate = try X509Builder.issue(
                X509CertificateTemplate(
                    subject: [X509NameAttribute(shortName: "O", value: name),
                              X509NameAttribute(shortName: "CN", value: "\(name) Intermediate CA")],
                    notBefore: start, notAfter: end,
                    extensions: [("basicConstraints", "critical,CA:TRUE,pathlen:0"), ("keyUsage", "critical,keyCertSign,cRLSign"),
                                 ("subjectKeyIdentifier", "hash"), ("authorityKeyIdentifier", "keyid:always")] + constraints),
                subjectKey: intermediateKey, issuer: (root, rootKey))
            return DevelopmentCA(root: Certificate(handle: root), intermediate: Certificate(handle: certificate),
                                 rootKey: rootKey, intermediateKey: intermediateKey)
        }
    }

    /// Issues a leaf certificate with a fresh key, valid from `now`.
    public func issue(_ request: LeafRequest, now: Date = Date()) throws(CertificateError) -> IssuedCertificate {
        var names: [String] = []
        for dns in request.dnsNames {
            try Self.requireDNSName(dns)
            names.append("DNS:\(dns)")
        }
        for ip in request.ipAddresses {
            guard ChainVerifier.isIPAddress(ip) else {
                throw CertificateError(code: .invalidParameter, message: "'\(ip)' is not an IPv4 or IPv6 address")
            }
            names.append("IP:\(ip)")
        }
        for uri in request.uris + (request.spiffeID.map { [$0.description] } ?? []) {
            try Self.requireConfigSafe(uri, what: "URI")
            names.append("URI:\(uri)")
        }
        for email in request.emails {
            try Self.requireConfigSafe(email, what: "e-mail address")
            names.append("email:\(email)")
        }
        guard !request.commonName.isEmpty || !names.isEmpty else {
            throw CertificateError(code: .invalidParameter, message: "a leaf needs a common name or a subjectAltName")
        }
        let eku: String =
            switch request.usage {
            case .client: "clientAuth"
            case .server: "serverAuth"
            case .clientAndServer: "serverAuth,clientAuth"
            }
        var subject = request.organizations.map { X509NameAttribute(shortName: "O", value: $0) }
        subject += request.organizationalUnits.map { X509NameAttribute(shortName: "OU", value: $0) }
        if !request.commonName.isEmpty { subject.append(X509NameAttribute(shortName: "CN", value: request.commonName)) }
        var extensions = [("basicConstraints", "critical,CA:FALSE"),
                          ("keyUsage", request.keyType == .rsa2048 ? "critical,digitalSignature,keyEncipherment" : "critical,digitalSignature"),
                          ("extendedKeyUsage", eku), ("subjectKeyIdentifier", "hash"), ("authorityKeyIdentifier", "keyid:always")]
        if !names.isEmpty {
            // RFC 5280 §4.2.1.6: critical when the subject is empty.
            extensions.append(("subjectAltName", (subject.isEmpty ? "critical," : "") + names.joined(separator: ",")))
        }
        let start = try UnixTime.seconds(now)
        let end = start + (try UnixTime.duration(request.validity, what: "the leaf validity"))
        let template = X509CertificateTemplate(subject: subject, notBefore: start, notAfter: end,
                                               extensions: extensions)
        return try Self.crypto { () throws(CryptoError) in
            let key = try X509PrivateKey.generate(request.keyType.spec)
            let certificate = try X509Builder.issue(template, subjectKey: key,
                                                    issuer: (issuingCertificate.handle, intermediateKey ?? rootKey))
            return IssuedCertificate(certificate: Certificate(handle: certificate),
                                     intermediates: intermediate.map { [$0] } ?? [],
                                     privateKeyPEM: SecureBytes(copying: Array(try key.pem().utf8)))
        }
    }

    /// A CRL signed by the root or the intermediate, revoking `certificates` as of `now`, valid
    /// for `validity` seconds.
    public func revocationList(revoking certificates: [Certificate], signedBy level: Level = .root,
                               number: Int = 1, validity: TimeInterval = 7 * 86_400,
                               now: Date = Date()) throws(CertificateError) -> CertificateRevocationList {
        let signer: (Certificate, X509PrivateKey)
        switch level {
        case .root: signer = (root, rootKey)
        case .intermediate:
            guard let intermediate, let intermediateKey else {
                throw CertificateError(code: .invalidParameter, message: "this CA has no intermediate")
            }
            signer = (intermediate, intermediateKey)
        }
        let start = try UnixTime.seconds(now)
        let end = start + (try UnixTime.duration(validity, what: "the CRL validity"))
        guard number >= 0 else { throw CertificateError(code: .invalidParameter, message: "the CRL number must not be negative") }
        return try Self.crypto { () throws(CryptoError) in
            CertificateRevocationList(handle: try X509Builder.makeCRL(
                issuer: signer.0.handle, key: signer.1, revoked: certificates.map { ($0.handle, start) },
                thisUpdate: start, nextUpdate: end, number: number))
        }
    }

    // MARK: Files

    private static let files = (root: "root.pem", rootKey: "root-key.pem",
                                intermediate: "intermediate.pem", intermediateKey: "intermediate-key.pem")

    /// Writes the CA into `directory` (created with mode 0700 when missing): `root.pem`,
    /// `root-key.pem`, and `intermediate.pem`, `intermediate-key.pem` when there is an
    /// intermediate. Keys are written atomically with mode 0600 through `SecretFile`.
    public func write(to directory: String) throws(CertificateError) {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw CertificateError(code: .fileError, message: "cannot create \(directory): \(error)")
        }
        let path = { (name: String) in (directory as NSString).appendingPathComponent(name) }
        try Self.writeCertificate(root.pemRepresentation, to: path(Self.files.root))
        try Self.writeKey(rootKey, to: path(Self.files.rootKey))
        if let intermediate, let intermediateKey {
            try Self.writeCertificate(intermediate.pemRepresentation, to: path(Self.files.intermediate))
            try Self.writeKey(intermediateKey, to: path(Self.files.intermediateKey))
        }
    }

    /// Reads a CA written by ``write(to:)``.
    public static func load(from directory: String) throws(CertificateError) -> DevelopmentCA {
        let path = { (name: String) in (directory as NSString).appendingPathComponent(name) }
        let root = try Certificate(pemEncoded: readText(path(files.root)))
        let rootKey = try readKey(path(files.rootKey))
        guard FileManager.default.fileExists(atPath: path(files.intermediate)) else {
            return DevelopmentCA(root: root, intermediate: nil, rootKey: rootKey, intermediateKey: nil)
        }
        return DevelopmentCA(root: root, intermediate: try Certificate(pemEncoded: readText(path(files.intermediate))),
                             rootKey: rootKey, intermediateKey: try readKey(path(files.intermediateKey)))
    }

    static func writeCertificate(_ pem: String, to path: String) throws(CertificateError) {
        do {
            try Array(pem.utf8).withUnsafeBytes { try SecretFile.write($0, to: path, mode: 0o644) }
        } catch {
            throw CertificateError(code: .fileError, message: "cannot write \(path): \(error)")
        }
    }

    static func writeKey(_ pem: SecureBytes, to path: String) throws(CertificateError) {
        do {
            try SecretFile.write(pem, to: path)
        } catch {
            throw CertificateError(code: .fileError, message: "cannot write \(path): \(error)")
        }
    }

    private static func writeKey(_ key: X509PrivateKey, to path: String) throws(CertificateError) {
        let pem = try crypto { () throws(CryptoError) in SecureBytes(copying: Array(try key.pem().utf8)) }
        try writeKey(pem, to: path)
    }

    private static func readText(_ path: String) throws(CertificateError) -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CertificateError(code: .fileError, message: "cannot read \(path)")
        }
        return String(decoding: data, as: UTF8.self)
    }

    private static func readKey(_ path: String) throws(CertificateError) -> X509PrivateKey {
        do {
            let text = try SecretFile.readText(path)
            return try X509PrivateKey(pem: text)
        } catch let error as CryptoError {
            throw CertificateError(code: .malformed, message: "\(path): \(error.message)")
        } catch {
            throw CertificateError(code: .fileError, message: "cannot read \(path): \(error)")
        }
    }

    // MARK: Helpers

    /// Runs crypto-layer code, reporting its failures as ``CertificateError/Code/invalidParameter``.
    private static func crypto<T>(_ body: () throws(CryptoError) -> T) throws(CertificateError) -> T {
        do {
            return try body()
        } catch {
            throw CertificateError(code: .invalidParameter, message: error.message, openSSLErrors: error.openSSLErrors)
        }
    }

    private static func requireDNSName(_ name: String) throws(CertificateError) {
        let allowed = name.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "." || $0 == "*"
        }
        guard !name.isEmpty, name.utf8.count <= 253, allowed else {
            throw CertificateError(code: .invalidParameter, message: "'\(name)' is not a DNS name (ASCII letters, digits, '-', '.', '*')")
        }
    }

    /// Values go into OpenSSL's extension configuration syntax, where commas separate entries.
    private static func requireConfigSafe(_ value: String, what: String) throws(CertificateError) {
        guard !value.isEmpty, value.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F && $0 != "," }) else {
            throw CertificateError(code: .invalidParameter, message: "'\(value)' is not a valid \(what) (printable ASCII, no commas or spaces)")
        }
    }
}
