import Foundation
import ZeroTrustCrypto
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Verifies certificate chains against a ``TrustStore`` under a ``VerificationPolicy``.
///
/// Path validation is OpenSSL's `X509_verify_cert` (RFC 5280 §6) with `X509_V_FLAG_X509_STRICT`,
/// security level 2, the policy's purpose and host name or IP address (RFC 9525: subjectAltName
/// only, never the CN), name constraints, and CRLs for the whole chain when given. On top of it,
/// this verifier refuses what OpenSSL accepts:
/// - a leaf that is a CA (basicConstraints CA:TRUE or keyUsage keyCertSign): ``CertificateError/Code/leafIsCA``;
/// - a leaf whose extendedKeyUsage lacks the purpose (anyExtendedKeyUsage does not count);
/// - a key other than RSA ≥ ``VerificationPolicy/minimumRSAKeySize``, an allowed EC curve or
///   Ed25519, anywhere in the chain: ``CertificateError/Code/weakKey``;
/// - a signature algorithm outside ``VerificationPolicy/allowedSignatureAlgorithms``, anywhere in
///   the chain: ``CertificateError/Code/disallowedAlgorithm``;
/// and it accepts a certificate at its exact notAfter second, which RFC 5280 §4.1.2.5 includes
/// in the validity period and OpenSSL does not.
///
/// ```swift
/// let verifier = ChainVerifier(trustStore: roots, policy: VerificationPolicy())
/// let chain = try verifier.verify(leaf, intermediates: presentedIntermediates)
/// let identity = try ClientIdentity(chain: chain)
/// ```
public struct ChainVerifier: Sendable {
    /// The anchors chains must lead to.
    public let trustStore: TrustStore
    /// What is required of a chain.
    public let policy: VerificationPolicy

    /// A verifier; cheap to create, safe to share between tasks.
    public init(trustStore: TrustStore, policy: VerificationPolicy = VerificationPolicy()) {
        self.trustStore = trustStore
        self.policy = policy
    }

    /// Verifies `leaf`, using `intermediates` (in any order, extras ignored) to build the path.
    /// Returns the chain, or throws a ``CertificateError`` whose code says why and whose
    /// ``CertificateError/certificateIndex`` says which certificate (0 = leaf).
    public func verify(_ leaf: Certificate, intermediates: [Certificate] = []) throws(CertificateError) -> VerifiedChain {
        // Leaf-only checks first: they need no path, and OpenSSL's strict mode would otherwise
        // report some CA-shaped leaves under a less precise code.
        try checkLeaf(leaf)
        let time = policy.verificationTime ?? Date()
        let seconds = try UnixTime.seconds(time)
        var request = X509VerifyRequest(
            leaf: leaf.handle, intermediates: intermediates.map(\.handle), crls: policy.crls.map(\.handle),
            time: seconds, maximumIntermediates: policy.maximumDepth, purpose: .clientAuth, hostname: nil, ipAddress: nil)
        if case .serverAuth(let expectedName) = policy.purpose {
            request.purpose = .serverAuth
            if let expectedName {
                if Self.isIPAddress(expectedName) { request.ipAddress = expectedName } else { request.hostname = expectedName }
            }
        }
        switch X509Verifier.verify(request, store: trustStore.store) {
        case .failed(let kind, let reason, let depth, let certificate):
            throw CertificateError(code: Self.code(for: kind), message: reason, certificateIndex: depth,
                                   certificateSubject: certificate?.subject.rfc2253)
        case .verified(let handles):
            guard !handles.isEmpty else {
                throw CertificateError(code: .verificationFailed, message: "OpenSSL returned an empty chain")
            }
            let chain = handles.map(Certificate.init(handle:))
            for (index, certificate) in chain.enumerated() {
                try checkKeyAndAlgorithm(certificate, index: index)
            }
            return VerifiedChain(certificates: chain, verificationTime: time)
        }
    }

    private func checkLeaf(_ leaf: Certificate) throws(CertificateError) {
        if leaf.handle.basicConstraints?.isCA == true {
            throw failure(.leafIsCA, "the leaf has basicConstraints CA:TRUE", leaf, 0)
        }
        if let usage = leaf.handle.keyUsage, KeyUsage(rawValue: usage).contains(.keyCertSign) {
            throw failure(.leafIsCA, "the leaf's keyUsage includes keyCertSign", leaf, 0)
        }
        // anyExtendedKeyUsage does not stand in for the purpose.
        let eku = leaf.handle.extendedKeyUsageSummary
        let isServer = if case .serverAuth = policy.purpose { true } else { false }
        if eku.present && !(isServer ? eku.serverAuth : eku.clientAuth) {
            let listed = (leaf.extendedKeyUsage ?? []).map(\.description).joined(separator: ", ")
            throw failure(.wrongPurpose, "the leaf's extendedKeyUsage (\(listed)) lacks \(isServer ? "serverAuth" : "clientAuth")", leaf, 0)
        }
    }

    private func checkKeyAndAlgorithm(_ certificate: Certificate, index: Int) throws(CertificateError) {
        let key = certificate.handle.publicKeySummary
        let acceptable: Bool =
            switch key.algorithm {
            case "RSA", "RSA-PSS": key.bitCount >= max(2048, policy.minimumRSAKeySize)
            case "EC": key.curve.flatMap(EllipticCurve.init(openSSLName:)).map(policy.allowedCurves.contains) ?? false
            case "ED25519": policy.allowsEd25519
            default: false
            }
        guard acceptable else {
            throw failure(.weakKey, "public key \(certificate.publicKey) is not allowed by the policy", certificate, index)
        }
        let algorithm = certificate.signatureAlgorithm
        guard policy.allowedSignatureAlgorithms.contains(algorithm) else {
            throw failure(.disallowedAlgorithm, "signature algorithm \(algorithm) is not allowed by the policy", certificate, index)
        }
    }

    private func failure(_ code: CertificateError.Code, _ message: String, _ certificate: Certificate, _ index: Int) -> CertificateError {
        CertificateError(code: code, message: message, certificateIndex: index, certificateSubject: certificate.subject.rfc2253)
    }

    static func isIPAddress(_ text: String) -> Bool {
        var buffer = [UInt8](repeating: 0, count: 16)
        return inet_pton(AF_INET, text, &buffer) == 1 || inet_pton(AF_INET6, text, &buffer) == 1
    }

    private static func code(for kind: X509VerifyFailureKind) -> CertificateError.Code {
        switch kind {
        case .expired: .expired
        case .notYetValid: .notYetValid
        case .untrustedRoot: .untrustedRoot
        case .badSignature: .badSignature
        case .revoked: .revoked
        case .wrongPurpose: .wrongPurpose
        case .invalidCA: .invalidCA
        case .nameConstraint: .nameConstraint
        case .depthExceeded: .depthExceeded
        case .weakKey: .weakKey
        case .weakAlgorithm: .disallowedAlgorithm
        case .hostnameMismatch: .hostnameMismatch
        case .malformed: .malformed
        case .revocationUnknown: .revocationUnknown
        case .other: .verificationFailed
        }
    }
}
