import Foundation
import ZeroTrustCrypto
import ZeroTrustIdentity

/// The JSON shapes of `zt ca` and `zt cert` (documented in Documentation/CLI.md; stable).
enum IdentityJSON {
    static func date(_ date: Date) -> String {
        ISO8601DateFormatter().string(from: date)
    }

    static func certificate(_ certificate: Certificate) -> [String: Any] {
        let key = certificate.publicKey
        var publicKey: [String: Any] = ["algorithm": key.algorithm, "bits": key.bitCount]
        if let curve = key.curve?.rawValue ?? key.curveName { publicKey["curve"] = curve }
        return [
            "subject": certificate.subject.rfc2253,
            "issuer": certificate.issuer.rfc2253,
            "serialNumber": certificate.serialNumber,
            "notBefore": date(certificate.notBefore),
            "notAfter": date(certificate.notAfter),
            "subjectAlternativeNames": certificate.subjectAlternativeNames.map(\.description),
            "keyUsage": certificate.keyUsage.map { $0.names as Any } ?? NSNull(),
            "extendedKeyUsage": certificate.extendedKeyUsage.map { $0.map(\.description) as Any } ?? NSNull(),
            "basicConstraints": certificate.basicConstraints.map {
                ["ca": $0.isCertificateAuthority, "pathLength": $0.pathLengthConstraint.map { $0 as Any } ?? NSNull()] as Any
            } ?? NSNull(),
            "sha256Fingerprint": certificate.fingerprint.hexString,
            "publicKey": publicKey,
            "signatureAlgorithm": certificate.signatureAlgorithm.description,
        ]
    }

    static func identity(_ identity: ClientIdentity, chain: VerifiedChain) -> [String: Any] {
        [
            "commonName": identity.commonName.map { $0 as Any } ?? NSNull(),
            "organizations": identity.organizations,
            "organizationalUnits": identity.organizationalUnits,
            "subject": identity.subject,
            "subjectAlternativeNames": identity.subjectAlternativeNames.map(\.description),
            "spiffeID": identity.spiffeID.map { $0.description as Any } ?? NSNull(),
            "sha256Fingerprint": identity.fingerprint,
            "notAfter": date(identity.notAfter),
            "chain": chain.certificates.map(\.subject.rfc2253),
        ]
    }

    static func error(_ error: any Error) -> [String: Any] {
        guard let error = error as? CertificateError else {
            return ["code": "verificationFailed", "message": "\(error)"]
        }
        var object: [String: Any] = ["code": error.code.rawValue, "message": error.message]
        if let index = error.certificateIndex { object["certificateIndex"] = index }
        if let subject = error.certificateSubject { object["certificateSubject"] = subject }
        return object
    }
}
