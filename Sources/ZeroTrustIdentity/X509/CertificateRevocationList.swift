public import Foundation
import ZeroTrustCrypto

/// An X.509 CRL (RFC 5280 §5), parsed by OpenSSL and immutable. Give CRLs to
/// ``VerificationPolicy/crls`` to check revocation of the whole chain.
public struct CertificateRevocationList: Sendable {
    let handle: X509CRLHandle

    init(handle: X509CRLHandle) { self.handle = handle }

    /// Parses one DER-encoded CRL; trailing bytes are an error.
    public init(derEncoded der: [UInt8]) throws(CertificateError) {
        do {
            handle = try X509CRLHandle.parse(der: der)
        } catch {
            throw CertificateError(malformed: error, what: "CRL")
        }
    }

    /// Parses every `X509 CRL` block of PEM text (RFC 7468 §5: label `X509 CRL`).
    public static func parseBundle(pemEncoded pem: String) throws(CertificateError) -> [CertificateRevocationList] {
        let documents: [PEMDocument]
        do {
            documents = try PEMDocument.parseAll(pem)
        } catch {
            throw CertificateError(malformed: error, what: "PEM")
        }
        guard !documents.isEmpty else { throw CertificateError(code: .malformed, message: "no PEM 'X509 CRL' block found") }
        var crls: [CertificateRevocationList] = []
        for (index, document) in documents.enumerated() {
            guard document.label == "X509 CRL" else {
                throw CertificateError(code: .malformed, message: "PEM block \(index + 1) is '\(document.label)', expected 'X509 CRL'")
            }
            crls.append(try CertificateRevocationList(derEncoded: document.der.withUnsafeBytes { Array($0) }))
        }
        return crls
    }

    /// Parses PEM (one or more CRLs) or a single DER CRL.
    public static func parse(_ bytes: [UInt8]) throws(CertificateError) -> [CertificateRevocationList] {
        let text = String(decoding: bytes, as: UTF8.self)
        if text.contains("-----BEGIN ") { return try parseBundle(pemEncoded: text) }
        return [try CertificateRevocationList(derEncoded: bytes)]
    }

    /// The issuer's distinguished name.
    public var issuer: DistinguishedName { DistinguishedName(handle.issuer) }
    /// thisUpdate.
    public var thisUpdate: Date? { handle.thisUpdate.map { Date(timeIntervalSince1970: TimeInterval($0)) } }
    /// nextUpdate; a CRL past it is refused during verification.
    public var nextUpdate: Date? { handle.nextUpdate.map { Date(timeIntervalSince1970: TimeInterval($0)) } }
    /// The DER encoding.
    public var derRepresentation: [UInt8] { handle.der }
    /// The PEM encoding (`X509 CRL`).
    public var pemRepresentation: String { handle.der.withUnsafeBytes { PEMDocument.encode(label: "X509 CRL", der: $0) } }
}
