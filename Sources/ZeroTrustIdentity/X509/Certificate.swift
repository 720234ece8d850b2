public import Foundation
public import ZeroTrustCrypto

/// An X.509 certificate, parsed by OpenSSL and immutable.
///
/// A `Certificate` owns its OpenSSL `X509` through a reference-counted handle, so copies are
/// cheap and the certificate is freed when the last copy goes. Fields are read from the `X509`
/// on access.
///
/// ```swift
/// let leaf = try Certificate(pemEncoded: pemText)
/// print(leaf.subject.commonName ?? "-", leaf.notAfter, leaf.fingerprint)
/// let bundle = try Certificate.parseBundle(pemEncoded: chainText)
/// ```
public struct Certificate: Sendable, Hashable, CustomStringConvertible {
    let handle: X509Handle

    init(handle: X509Handle) { self.handle = handle }

    /// Parses one DER-encoded certificate; trailing bytes are an error.
    public init(derEncoded der: [UInt8]) throws(CertificateError) {
        do {
            handle = try X509Handle.parse(der: der)
        } catch {
            throw CertificateError(malformed: error, what: "certificate")
        }
    }

    /// Parses PEM text holding exactly one `CERTIFICATE` block.
    public init(pemEncoded pem: String) throws(CertificateError) {
        let bundle = try Self.parseBundle(pemEncoded: pem)
        guard bundle.count == 1, let only = bundle.first else {
            throw CertificateError(code: .malformed, message: "expected one certificate, found \(bundle.count)")
        }
        self = only
    }

    /// Parses every `CERTIFICATE` block of PEM text, in order. Any other PEM block (a key, a CRL)
    /// is an error naming its position, and so is text with no certificate at all.
    public static func parseBundle(pemEncoded pem: String) throws(CertificateError) -> [Certificate] {
        let documents: [PEMDocument]
        do {
            documents = try PEMDocument.parseAll(pem)
        } catch {
            throw CertificateError(malformed: error, what: "PEM")
        }
        guard !documents.isEmpty else {
            throw CertificateError(code: .malformed, message: "no PEM CERTIFICATE block found")
        }
        var certificates: [Certificate] = []
        for (index, document) in documents.enumerated() {
            guard document.label == "CERTIFICATE" else {
                throw CertificateError(code: .malformed,
                                       message: "PEM block \(index + 1) is '\(document.label)', expected 'CERTIFICATE'")
            }
            let der = document.der.withUnsafeBytes { Array($0) }
            do {
                certificates.append(Certificate(handle: try X509Handle.parse(der: der)))
            } catch {
                throw CertificateError(malformed: error, what: "certificate \(index + 1) of the PEM bundle")
            }
        }
        return certificates
    }

    /// Parses `bytes` as PEM when they contain a PEM armour line, as one DER certificate otherwise.
    public static func parse(_ bytes: [UInt8]) throws(CertificateError) -> [Certificate] {
        let text = String(decoding: bytes, as: UTF8.self)
        if text.contains("-----BEGIN ") { return try parseBundle(pemEncoded: text) }
        return [try Certificate(derEncoded: bytes)]
    }

    /// The subject's distinguished name.
    public var subject: DistinguishedName { DistinguishedName(handle.subject) }
    /// The issuer's distinguished name.
    public var issuer: DistinguishedName { DistinguishedName(handle.issuer) }
    /// The serial number as uppercase hex.
    public var serialNumber: String { handle.serialNumberHex }
    /// Start of the validity period (inclusive).
    public var notBefore: Date { Date(timeIntervalSince1970: TimeInterval(handle.notBefore)) }
    /// End of the validity period (inclusive, RFC 5280 §4.1.2.5).
    public var notAfter: Date { Date(timeIntervalSince1970: TimeInterval(handle.notAfter)) }
    /// Every subjectAltName entry, in order; empty when the extension is absent.
    public var subjectAlternativeNames: [SubjectAlternativeName] {
        handle.subjectAlternativeNames.map(SubjectAlternativeName.init)
    }
    /// The keyUsage extension, or nil when absent.
    public var keyUsage: KeyUsage? { handle.keyUsage.map { KeyUsage(rawValue: $0) } }
    /// The extendedKeyUsage extension, or nil when absent.
    public var extendedKeyUsage: [ExtendedKeyUsage]? { handle.extendedKeyUsageOIDs?.map(ExtendedKeyUsage.init(oid:)) }
    /// The basicConstraints extension, or nil when absent.
    public var basicConstraints: BasicConstraints? {
        handle.basicConstraints.map { BasicConstraints(isCertificateAuthority: $0.isCA, pathLengthConstraint: $0.pathLength) }
    }
    /// Whether the certificate may issue others: basicConstraints CA:TRUE or keyUsage keyCertSign.
    public var isCertificateAuthority: Bool {
        basicConstraints?.isCertificateAuthority == true || keyUsage?.contains(.keyCertSign) == true
    }
    /// SHA-256 of the DER encoding.
    public var fingerprint: Digest { Digest(bytes: handle.sha256Fingerprint) }
    /// The subject public key.
    public var publicKey: PublicKeyInfo { PublicKeyInfo(handle.publicKey) }
    /// The algorithm the issuer signed this certificate with.
    public var signatureAlgorithm: SignatureAlgorithm { SignatureAlgorithm(handle.signatureScheme) }
    /// The DER encoding.
    public var derRepresentation: [UInt8] { handle.der }
    /// The PEM encoding (one `CERTIFICATE` block).
    public var pemRepresentation: String {
        handle.der.withUnsafeBytes { PEMDocument.encode(label: "CERTIFICATE", der: $0) }
    }

    /// The subject, issuer and fingerprint.
    public var description: String {
        "Certificate(subject: \(subject), issuer: \(issuer), sha256: \(fingerprint.hexString))"
    }

    /// Certificates are equal when their DER encodings are.
    public static func == (lhs: Certificate, rhs: Certificate) -> Bool {
        lhs.handle === rhs.handle || lhs.handle.der == rhs.handle.der
    }

    /// Hashes the DER encoding, consistent with `==`.
    public func hash(into hasher: inout Hasher) { hasher.combine(handle.der) }
}

extension CertificateError {
    /// A parse failure from the crypto layer, as `.malformed`.
    init(malformed error: CryptoError, what: String) {
        self.init(code: .malformed, message: "\(what): \(error.message)", openSSLErrors: error.openSSLErrors)
    }
}
