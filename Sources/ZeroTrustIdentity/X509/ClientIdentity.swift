public import Foundation
import ZeroTrustCrypto

/// Who is calling: the facts of a verified chain's leaf that authorization needs.
///
/// When the leaf carries a `spiffe:` URI it is treated as an X509-SVID and must follow the
/// SPIFFE X509-SVID rules: exactly one URI SAN, a valid ``SPIFFEID``, not a CA, keyUsage present
/// with digitalSignature and without keyCertSign or cRLSign.
///
/// ```swift
/// let identity = try ClientIdentity(chain: chain, requiredTrustDomain: "corp.example")
/// identity.spiffeID?.path   // "/ml/trainer"
/// ```
public struct ClientIdentity: Sendable, Hashable {
    /// The subject's most specific common name.
    public let commonName: String?
    /// The subject's organizations (`O`).
    public let organizations: [String]
    /// The subject's organizational units (`OU`).
    public let organizationalUnits: [String]
    /// The full subject in RFC 2253 form.
    public let subject: String
    /// The leaf's subjectAltName entries.
    public let subjectAlternativeNames: [SubjectAlternativeName]
    /// The SPIFFE ID when the leaf is an X509-SVID.
    public let spiffeID: SPIFFEID?
    /// SHA-256 fingerprint of the leaf, lowercase hex.
    public let fingerprint: String
    /// The leaf's notAfter: the identity must not be trusted beyond it.
    public let notAfter: Date

    /// Extracts the identity of `chain`'s leaf. With `requiredTrustDomain`, the leaf must be an
    /// X509-SVID of that trust domain.
    public init(chain: VerifiedChain, requiredTrustDomain: String? = nil) throws(CertificateError) {
        try self.init(leaf: chain.leaf, requiredTrustDomain: requiredTrustDomain)
    }

    init(leaf: Certificate, requiredTrustDomain: String?) throws(CertificateError) {
        let subjectName = leaf.subject
        commonName = subjectName.commonName
        organizations = subjectName.organizations
        organizationalUnits = subjectName.organizationalUnits
        subject = subjectName.rfc2253
        subjectAlternativeNames = leaf.subjectAlternativeNames
        fingerprint = leaf.fingerprint.hexString
        notAfter = leaf.notAfter
        spiffeID = try Self.svidID(of: leaf, names: subjectAlternativeNames)
        if let requiredTrustDomain {
            guard let spiffeID else {
                throw CertificateError(code: .invalidSPIFFEID, message: "the leaf has no SPIFFE ID; trust domain '\(requiredTrustDomain)' is required",
                                       certificateIndex: 0, certificateSubject: subject)
            }
            guard spiffeID.trustDomain == requiredTrustDomain else {
                throw CertificateError(code: .invalidSPIFFEID,
                                       message: "SPIFFE ID \(spiffeID) is not in the required trust domain '\(requiredTrustDomain)'",
                                       certificateIndex: 0, certificateSubject: subject)
            }
        }
    }

    /// The SPIFFE ID under the X509-SVID rules, or nil when no URI SAN uses the spiffe scheme.
    private static func svidID(of leaf: Certificate, names: [SubjectAlternativeName]) throws(CertificateError) -> SPIFFEID? {
        let uris = names.compactMap { if case .uri(let uri) = $0 { uri } else { nil } }
        guard uris.contains(where: { $0.lowercased().hasPrefix("spiffe:") }) else { return nil }
        func invalid(_ reason: String) -> CertificateError {
            CertificateError(code: .invalidSPIFFEID, message: "not a valid X509-SVID: \(reason)", certificateIndex: 0,
                             certificateSubject: leaf.subject.rfc2253)
        }
        guard uris.count == 1, let uri = uris.first else { throw invalid("it has \(uris.count) URI SANs, exactly one is allowed") }
        let id: SPIFFEID
        do {
            id = try SPIFFEID(parsing: uri)
        } catch {
            throw invalid(error.message)
        }
        guard leaf.basicConstraints?.isCertificateAuthority != true else { throw invalid("the leaf is a CA") }
        guard let usage = leaf.keyUsage else { throw invalid("keyUsage is missing") }
        guard usage.contains(.digitalSignature) else { throw invalid("keyUsage lacks digitalSignature") }
        guard !usage.contains(.keyCertSign), !usage.contains(.cRLSign) else { throw invalid("keyUsage has keyCertSign or cRLSign") }
        return id
    }
}
