/// The one error type of the `ZeroTrustIdentity` module.
///
/// Match on ``code``: codes are stable, and new ones can be added without breaking the API.
/// When a certificate chain failed, ``certificateIndex`` says which certificate (0 is the leaf,
/// counting towards the trust anchor) and ``certificateSubject`` names it.
///
/// ```swift
/// do {
///     let chain = try verifier.verify(leaf, intermediates: intermediates)
/// } catch let error where error.code == .revoked {
///     print("certificate \(error.certificateIndex ?? 0) is revoked: \(error.message)")
/// }
/// ```
public struct CertificateError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable identifier of the kind of failure.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The identifier as written in logs and JSON, e.g. `"expired"`.
        public let rawValue: String

        /// Creates a code from its identifier.
        public init(rawValue: String) { self.rawValue = rawValue }

        /// The identifier.
        public var description: String { rawValue }

        /// A certificate's notAfter is before the verification time.
        public static let expired = Code(rawValue: "expired")
        /// A certificate's notBefore is after the verification time.
        public static let notYetValid = Code(rawValue: "notYetValid")
        /// The chain does not lead to a certificate in the trust store.
        public static let untrustedRoot = Code(rawValue: "untrustedRoot")
        /// A signature in the chain does not verify with its issuer's key.
        public static let badSignature = Code(rawValue: "badSignature")
        /// A certificate in the chain is listed in its issuer's CRL.
        public static let revoked = Code(rawValue: "revoked")
        /// The leaf's extended or plain key usage does not allow the requested purpose.
        public static let wrongPurpose = Code(rawValue: "wrongPurpose")
        /// The leaf is a CA certificate (basicConstraints CA:TRUE or keyUsage keyCertSign).
        public static let leafIsCA = Code(rawValue: "leafIsCA")
        /// A certificate that issues another is not a valid CA certificate.
        public static let invalidCA = Code(rawValue: "invalidCA")
        /// A name in the chain violates a CA's name constraints.
        public static let nameConstraint = Code(rawValue: "nameConstraint")
        /// The chain is longer than the policy or a CA's pathLenConstraint allows.
        public static let depthExceeded = Code(rawValue: "depthExceeded")
        /// A public key in the chain is of a type or size the policy does not accept.
        public static let weakKey = Code(rawValue: "weakKey")
        /// A signature algorithm in the chain is not in the policy's allowed set.
        public static let disallowedAlgorithm = Code(rawValue: "disallowedAlgorithm")
        /// The leaf does not carry the expected DNS name or IP address in its subjectAltName.
        public static let hostnameMismatch = Code(rawValue: "hostnameMismatch")
        /// PEM or DER input, or a certificate's content, is not well formed.
        public static let malformed = Code(rawValue: "malformed")
        /// CRLs were given but none valid covers a certificate of the chain (missing, expired,
        /// badly signed): its revocation status is unknown, so the chain is refused.
        public static let revocationUnknown = Code(rawValue: "revocationUnknown")
        /// A SPIFFE ID or X509-SVID breaks the SPIFFE rules, or is not in the required trust domain.
        public static let invalidSPIFFEID = Code(rawValue: "invalidSPIFFEID")
        /// A role mapping document is invalid.
        public static let invalidRoleMapping = Code(rawValue: "invalidRoleMapping")
        /// A parameter is out of range (e.g. a SAN value a certificate cannot carry).
        public static let invalidParameter = Code(rawValue: "invalidParameter")
        /// Reading or writing a file failed.
        public static let fileError = Code(rawValue: "fileError")
        /// Verification failed for a reason none of the other codes describes; see the message.
        public static let verificationFailed = Code(rawValue: "verificationFailed")
    }

    /// What kind of failure this is.
    public let code: Code
    /// What went wrong and where. Never holds key material.
    public let message: String
    /// The position in the chain of the certificate that failed (0 = leaf), when one did.
    public let certificateIndex: Int?
    /// The RFC 2253 subject of the certificate that failed, when one did.
    public let certificateSubject: String?
    /// OpenSSL's error queue at the time of failure, oldest first, when OpenSSL reported one.
    public let openSSLErrors: [String]

    /// Creates an error.
    public init(code: Code, message: String, certificateIndex: Int? = nil, certificateSubject: String? = nil,
                openSSLErrors: [String] = []) {
        self.code = code
        self.message = message
        self.certificateIndex = certificateIndex
        self.certificateSubject = certificateSubject
        self.openSSLErrors = openSSLErrors
    }

    /// `code: message`, with the failing certificate and OpenSSL's errors when known.
    public var description: String {
        var text = "\(code): \(message)"
        if let certificateIndex {
            text += " [certificate \(certificateIndex)\(certificateSubject.map { " '\($0)'" } ?? "")]"
        }
        if !openSSLErrors.isEmpty { text += " [OpenSSL: \(openSSLErrors.joined(separator: "; "))]" }
        return text
    }

    /// Errors are equal when their codes are equal, so tests and callers match on the code.
    public static func == (lhs: CertificateError, rhs: CertificateError) -> Bool { lhs.code == rhs.code }

    /// Hashes the code only, consistent with `==`.
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
