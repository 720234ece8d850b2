internal import CZeroTrustOpenSSL
internal import CZeroTrustShims
#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// The extended key usage a chain is verified for (OpenSSL's `X509_PURPOSE_SSL_CLIENT`/`SERVER`).
package enum X509VerifyPurpose: Sendable, Hashable {
    case clientAuth
    case serverAuth
}

/// One call of ``X509Verifier/verify(_:store:)``.
package struct X509VerifyRequest: Sendable {
    package var leaf: X509Handle
    package var intermediates: [X509Handle]
    /// When non-empty, every certificate of the chain must be covered by a current CRL.
    package var crls: [X509CRLHandle]
    /// Seconds since 1970.
    package var time: Int64
    /// The largest number of intermediate CA certificates allowed (OpenSSL's verify depth).
    package var maximumIntermediates: Int
    package var purpose: X509VerifyPurpose
    /// A DNS name the leaf's dNSName SANs must match (never the subject CN).
    package var hostname: String?
    /// A textual IPv4/IPv6 address the leaf's iPAddress SANs must match.
    package var ipAddress: String?

    package init(leaf: X509Handle, intermediates: [X509Handle], crls: [X509CRLHandle], time: Int64,
                 maximumIntermediates: Int, purpose: X509VerifyPurpose, hostname: String?, ipAddress: String?) {
        self.leaf = leaf
        self.intermediates = intermediates
        self.crls = crls
        self.time = time
        self.maximumIntermediates = maximumIntermediates
        self.purpose = purpose
        self.hostname = hostname
        self.ipAddress = ipAddress
    }
}

/// Why OpenSSL rejected a chain, grouped into the reasons this library reports.
package enum X509VerifyFailureKind: Sendable, Hashable {
    case expired, notYetValid, untrustedRoot, badSignature, revoked, wrongPurpose, invalidCA
    case nameConstraint, depthExceeded, weakKey, weakAlgorithm, hostnameMismatch, malformed
    case revocationUnknown, other
}

/// The result of a verification: the chain from leaf to trust anchor, or where and why it failed.
package enum X509VerifyOutcome: Sendable {
    case verified(chain: [X509Handle])
    /// `depth` counts from the leaf (0); `certificate` is the one OpenSSL was checking.
    case failed(kind: X509VerifyFailureKind, reason: String, depth: Int, certificate: X509Handle?)
}

/// RFC 5280 path validation with `X509_verify_cert`, configured strictly.
package enum X509Verifier {
    /// Verifies `request` against the anchors in `store`: `X509_V_FLAG_X509_STRICT`, security
    /// level 2 (RSA and DSA keys of 2048 bits or more, no SHA-1 signatures), the purpose, the
    /// host name or IP address with `X509_CHECK_FLAG_NEVER_CHECK_SUBJECT` (RFC 9525: no CN
    /// fallback) and no partial wildcards, and `X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL`
    /// when CRLs are given. A certificate is still valid at its exact notAfter second (RFC 5280
    /// §4.1.2.5), where OpenSSL alone would call it expired.
    package static func verify(_ request: X509VerifyRequest, store: X509StoreHandle) -> X509VerifyOutcome {
        OpenSSLErrorQueue.clear()
        guard let context = X509_STORE_CTX_new() else {
            return .failed(kind: .other, reason: "X509_STORE_CTX_new failed", depth: 0, certificate: nil)
        }
        defer { X509_STORE_CTX_free(context) }
        guard let untrusted = zt_sk_x509_new() else {
            return .failed(kind: .other, reason: "out of memory", depth: 0, certificate: nil)
        }
        defer { zt_sk_x509_pop_free(untrusted) }
        for certificate in request.intermediates where zt_sk_x509_push_ref(untrusted, certificate.pointer) != 1 {
            return .failed(kind: .other, reason: "out of memory", depth: 0, certificate: nil)
        }
        guard X509_STORE_CTX_init(context, store.pointer, request.leaf.pointer, untrusted) == 1 else {
            return .failed(kind: .other, reason: "X509_STORE_CTX_init failed", depth: 0, certificate: nil)
        }
        var crls: OpaquePointer?
        defer { if let crls { zt_sk_x509_crl_pop_free(crls) } }
        if !request.crls.isEmpty {
            crls = zt_sk_x509_crl_new()
            guard let crls else { return .failed(kind: .other, reason: "out of memory", depth: 0, certificate: nil) }
            for crl in request.crls where zt_sk_x509_crl_push_ref(crls, crl.pointer) != 1 {
                return .failed(kind: .other, reason: "out of memory", depth: 0, certificate: nil)
            }
            X509_STORE_CTX_set0_crls(context, crls)
        }
        if let failure = configure(X509_STORE_CTX_get0_param(context), for: request) {
            return .failed(kind: .other, reason: failure, depth: 0, certificate: nil)
        }
        X509_STORE_CTX_set_verify_cb(context, inclusiveNotAfter)

        if X509_verify_cert(context) == 1 {
            return .verified(chain: chain(of: context))
        }
        let error = X509_STORE_CTX_get_error(context)
        let depth = Int(max(0, X509_STORE_CTX_get_error_depth(context)))
        let current = X509_STORE_CTX_get_current_cert(context).flatMap(X509Handle.retaining)
        let reason = X509_verify_cert_error_string(Int(error)).map { String(cString: $0) } ?? "error \(error)"
        _ = OpenSSLErrorQueue.drain()
        return .failed(kind: kind(of: error), reason: reason, depth: depth,
                       certificate: current ?? chain(of: context).dropFirst(depth).first)
    }

    /// Applies the request to the context's parameters; returns why that failed, or nil.
    private static func configure(_ param: OpaquePointer?, for request: X509VerifyRequest) -> String? {
        guard let param else { return "no verification parameters" }
        var flags = UInt(X509_V_FLAG_X509_STRICT)
        if !request.crls.isEmpty { flags |= UInt(X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL) }
        guard X509_VERIFY_PARAM_set_flags(param, flags) == 1 else { return "cannot set verification flags" }
        X509_VERIFY_PARAM_set_time(param, time_t(request.time))
        X509_VERIFY_PARAM_set_depth(param, Int32(clamping: max(0, request.maximumIntermediates)))
        X509_VERIFY_PARAM_set_auth_level(param, 2)
        let purpose = request.purpose == .clientAuth ? X509_PURPOSE_SSL_CLIENT : X509_PURPOSE_SSL_SERVER
        guard X509_VERIFY_PARAM_set_purpose(param, purpose) == 1 else { return "cannot set the purpose" }
        X509_VERIFY_PARAM_set_hostflags(param, UInt32(X509_CHECK_FLAG_NEVER_CHECK_SUBJECT | X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS))
        if let hostname = request.hostname {
            guard X509_VERIFY_PARAM_set1_host(param, hostname, hostname.utf8.count) == 1 else {
                return "invalid host name"
            }
        }
        if let ipAddress = request.ipAddress {
            guard X509_VERIFY_PARAM_set1_ip_asc(param, ipAddress) == 1 else { return "invalid IP address" }
        }
        return nil
    }

    /// The verified chain, leaf first, each certificate with its own reference.
    private static func chain(of context: OpaquePointer) -> [X509Handle] {
        guard let stack = X509_STORE_CTX_get0_chain(context) else { return [] }
        return (0..<zt_sk_x509_num(stack)).compactMap { zt_sk_x509_value(stack, $0).flatMap(X509Handle.retaining) }
    }

    /// OpenSSL's `X509_cmp_time` treats a notAfter equal to the verification time as expired;
    /// RFC 5280 §4.1.2.5 says the validity period includes notAfter. This callback overrides
    /// exactly that one case and nothing else.
    private static let inclusiveNotAfter: @convention(c) (Int32, OpaquePointer?) -> Int32 = { ok, context in
        guard ok == 0, let context, X509_STORE_CTX_get_error(context) == X509_V_ERR_CERT_HAS_EXPIRED,
              let certificate = X509_STORE_CTX_get_current_cert(context),
              let param = X509_STORE_CTX_get0_param(context)
        else { return ok }
        // Expired means notAfter <= T; notAfter > T - 1 as well means notAfter == T.
        var oneSecondEarlier = time_t(X509_VERIFY_PARAM_get_time(param)) - 1
        guard X509_cmp_time(X509_get0_notAfter(certificate), &oneSecondEarlier) > 0 else { return ok }
        X509_STORE_CTX_set_error(context, X509_V_OK)
        return 1
    }

    private static func kind(of error: Int32) -> X509VerifyFailureKind {
        switch error {
        case X509_V_ERR_CERT_HAS_EXPIRED: .expired
        case X509_V_ERR_CERT_NOT_YET_VALID: .notYetValid
        case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY,
             X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT, X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN,
             X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE, X509_V_ERR_CERT_UNTRUSTED, X509_V_ERR_CERT_REJECTED:
            .untrustedRoot
        case X509_V_ERR_CERT_SIGNATURE_FAILURE, X509_V_ERR_UNABLE_TO_DECRYPT_CERT_SIGNATURE,
             X509_V_ERR_UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY:
            .badSignature
        case X509_V_ERR_CERT_REVOKED: .revoked
        case X509_V_ERR_INVALID_PURPOSE, X509_V_ERR_KEYUSAGE_NO_DIGITAL_SIGNATURE: .wrongPurpose
        case X509_V_ERR_INVALID_CA, X509_V_ERR_KEYUSAGE_NO_CERTSIGN, X509_V_ERR_INVALID_NON_CA: .invalidCA
        case X509_V_ERR_PERMITTED_VIOLATION, X509_V_ERR_EXCLUDED_VIOLATION, X509_V_ERR_SUBTREE_MINMAX,
             X509_V_ERR_UNSUPPORTED_CONSTRAINT_TYPE, X509_V_ERR_UNSUPPORTED_CONSTRAINT_SYNTAX,
             X509_V_ERR_UNSUPPORTED_NAME_SYNTAX:
            .nameConstraint
        case X509_V_ERR_CERT_CHAIN_TOO_LONG, X509_V_ERR_PATH_LENGTH_EXCEEDED: .depthExceeded
        case X509_V_ERR_EE_KEY_TOO_SMALL, X509_V_ERR_CA_KEY_TOO_SMALL: .weakKey
        case X509_V_ERR_CA_MD_TOO_WEAK: .weakAlgorithm
        case X509_V_ERR_HOSTNAME_MISMATCH, X509_V_ERR_IP_ADDRESS_MISMATCH: .hostnameMismatch
        case X509_V_ERR_UNABLE_TO_GET_CRL, X509_V_ERR_UNABLE_TO_DECRYPT_CRL_SIGNATURE, X509_V_ERR_CRL_SIGNATURE_FAILURE,
             X509_V_ERR_CRL_NOT_YET_VALID, X509_V_ERR_CRL_HAS_EXPIRED, X509_V_ERR_ERROR_IN_CRL_LAST_UPDATE_FIELD,
             X509_V_ERR_ERROR_IN_CRL_NEXT_UPDATE_FIELD, X509_V_ERR_UNABLE_TO_GET_CRL_ISSUER,
             X509_V_ERR_KEYUSAGE_NO_CRL_SIGN, X509_V_ERR_UNHANDLED_CRITICAL_CRL_EXTENSION,
             X509_V_ERR_DIFFERENT_CRL_SCOPE, X509_V_ERR_CRL_PATH_VALIDATION_ERROR:
            .revocationUnknown
        case X509_V_ERR_ERROR_IN_CERT_NOT_BEFORE_FIELD, X509_V_ERR_ERROR_IN_CERT_NOT_AFTER_FIELD,
             X509_V_ERR_UNHANDLED_CRITICAL_EXTENSION, X509_V_ERR_INVALID_EXTENSION,
             X509_V_ERR_INVALID_POLICY_EXTENSION, X509_V_ERR_EC_KEY_EXPLICIT_PARAMS:
            .malformed
        default:
            // X509_V_FLAG_X509_STRICT's remaining findings (missing key identifiers, empty
            // subjects, bad encodings, …) and anything newer: the certificate is not well formed.
            error >= X509_V_ERR_INVALID_CALL ? .malformed : .other
        }
    }
}
