internal import CZeroTrustOpenSSL
internal import CZeroTrustShims

/// What to put in a certificate this library issues. Extensions are given in OpenSSL's
/// configuration syntax (`x509v3_config(5)`), by extension name, e.g.
/// `("basicConstraints", "critical,CA:TRUE,pathlen:0")`; they are added in order.
package struct X509CertificateTemplate: Sendable {
    package var subject: [X509NameAttribute]
    package var notBefore: Int64
    package var notAfter: Int64
    package var extensions: [(name: String, value: String)]

    package init(subject: [X509NameAttribute], notBefore: Int64, notAfter: Int64,
                 extensions: [(name: String, value: String)]) {
        self.subject = subject
        self.notBefore = notBefore
        self.notAfter = notAfter
        self.extensions = extensions
    }
}

/// Creating certificates and CRLs (for ``DevelopmentCA``-style issuers and tests).
package enum X509Builder {
    /// Issues a certificate for `subjectKey`'s public key, signed by `issuer` (its certificate and
    /// key), or self-signed by `subjectKey` when `issuer` is nil. The serial number is 127 random bits.
    package static func issue(_ template: X509CertificateTemplate, subjectKey: X509PrivateKey,
                              issuer: (certificate: X509Handle, key: X509PrivateKey)?) throws(CryptoError) -> X509Handle {
        OpenSSLErrorQueue.clear()
        guard let x509 = X509_new() else { throw CryptoError.openSSLFailure("X509_new") }
        let certificate = X509Handle(taking: x509)
        try requireOpenSSL(X509_set_version(x509, 2), "X509_set_version")
        try setRandomSerial(x509)
        try setTime(X509_getm_notBefore(x509), template.notBefore)
        try setTime(X509_getm_notAfter(x509), template.notAfter)
        try requireOpenSSL(X509_set_pubkey(x509, subjectKey.key.pkey), "X509_set_pubkey")

        guard let name = X509_NAME_new() else { throw CryptoError.openSSLFailure("X509_NAME_new") }
        defer { X509_NAME_free(name) }
        for attribute in template.subject {
            guard X509_NAME_add_entry_by_txt(name, attribute.shortName, MBSTRING_UTF8, attribute.value, -1, -1, 0) == 1 else {
                throw CryptoError.openSSL(.invalidParameter, "invalid subject attribute \(attribute.shortName)")
            }
        }
        try requireOpenSSL(X509_set_subject_name(x509, name), "X509_set_subject_name")
        let issuerCertificate = issuer?.certificate.pointer ?? x509
        try requireOpenSSL(X509_set_issuer_name(x509, X509_get_subject_name(issuerCertificate)), "X509_set_issuer_name")

        for (extensionName, value) in template.extensions {
            let nid = OBJ_txt2nid(extensionName)
            guard nid != NID_undef, zt_x509_add_ext(x509, issuerCertificate, nid, value) == 1 else {
                throw CryptoError.openSSL(.invalidParameter, "invalid \(extensionName) extension '\(value)'")
            }
        }
        let signingKey = issuer?.key ?? subjectKey
        guard X509_sign(x509, signingKey.key.pkey, signingKey.signingDigest) > 0 else {
            throw CryptoError.openSSLFailure("X509_sign")
        }
        return certificate
    }

    /// A v2 CRL from `issuer` listing `revoked` (certificate, revocation time) pairs.
    package static func makeCRL(issuer: X509Handle, key: X509PrivateKey, revoked: [(X509Handle, Int64)],
                                thisUpdate: Int64, nextUpdate: Int64, number: Int) throws(CryptoError) -> X509CRLHandle {
        OpenSSLErrorQueue.clear()
        guard let pointer = X509_CRL_new() else { throw CryptoError.openSSLFailure("X509_CRL_new") }
        let crl = X509CRLHandle(taking: pointer)
        try requireOpenSSL(X509_CRL_set_version(pointer, 1), "X509_CRL_set_version")
        try requireOpenSSL(X509_CRL_set_issuer_name(pointer, X509_get_subject_name(issuer.pointer)), "X509_CRL_set_issuer_name")
        try withTime(thisUpdate) { (time) throws(CryptoError) in
            try requireOpenSSL(X509_CRL_set1_lastUpdate(pointer, time), "X509_CRL_set1_lastUpdate")
        }
        try withTime(nextUpdate) { (time) throws(CryptoError) in
            try requireOpenSSL(X509_CRL_set1_nextUpdate(pointer, time), "X509_CRL_set1_nextUpdate")
        }
        for (certificate, revocationTime) in revoked {
            guard let entry = X509_REVOKED_new() else { throw CryptoError.openSSLFailure("X509_REVOKED_new") }
            var added = false
            defer { if !added { X509_REVOKED_free(entry) } }
            try requireOpenSSL(X509_REVOKED_set_serialNumber(entry, UnsafeMutablePointer(mutating: X509_get0_serialNumber(certificate.pointer))),
                               "X509_REVOKED_set_serialNumber")
            try withTime(revocationTime) { (time) throws(CryptoError) in
                try requireOpenSSL(X509_REVOKED_set_revocationDate(entry, time), "X509_REVOKED_set_revocationDate")
            }
            try requireOpenSSL(X509_CRL_add0_revoked(pointer, entry), "X509_CRL_add0_revoked")
            added = true
        }
        try requireOpenSSL(X509_CRL_sort(pointer), "X509_CRL_sort")
        guard zt_x509_crl_add_ext(pointer, issuer.pointer, NID_authority_key_identifier, "keyid:always") == 1 else {
            throw CryptoError.openSSL(.invalidParameter, "cannot add the CRL's authorityKeyIdentifier")
        }
        // crlNumber has no configuration-text form; it is added as an INTEGER.
        guard let crlNumber = ASN1_INTEGER_new() else { throw CryptoError.openSSLFailure("ASN1_INTEGER_new") }
        defer { ASN1_INTEGER_free(crlNumber) }
        try requireOpenSSL(ASN1_INTEGER_set(crlNumber, number), "ASN1_INTEGER_set")
        try requireOpenSSL(X509_CRL_add1_ext_i2d(pointer, NID_crl_number, crlNumber, 0, 0), "X509_CRL_add1_ext_i2d")
        guard X509_CRL_sign(pointer, key.key.pkey, key.signingDigest) > 0 else {
            throw CryptoError.openSSLFailure("X509_CRL_sign")
        }
        return crl
    }

    private static func setRandomSerial(_ x509: OpaquePointer) throws(CryptoError) {
        // 16 random bytes, the top bit cleared (a positive INTEGER) and the next one set (never
        // zero, always 16 bytes): RFC 5280 §4.1.2.2 allows up to 20 octets.
        var bytes = SecureRandom.bytes(count: 16)
        bytes[0] = (bytes[0] & 0x7F) | 0x40
        guard let bn = BN_bin2bn(bytes, Int32(bytes.count), nil) else { throw CryptoError.openSSLFailure("BN_bin2bn") }
        defer { BN_free(bn) }
        guard BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x509)) != nil else {
            throw CryptoError.openSSLFailure("BN_to_ASN1_INTEGER")
        }
    }

    private static func setTime(_ field: UnsafeMutablePointer<ASN1_TIME>?, _ seconds: Int64) throws(CryptoError) {
        // ASN1_TIME_set picks UTCTime before 2050 and GeneralizedTime after, as RFC 5280 requires.
        guard let field, ASN1_TIME_set(field, time_t(seconds)) != nil else {
            throw CryptoError(code: .invalidParameter, message: "time \(seconds) cannot be encoded")
        }
    }

    private static func withTime(_ seconds: Int64, _ body: (UnsafeMutablePointer<ASN1_TIME>) throws(CryptoError) -> Void) throws(CryptoError) {
        guard let time = ASN1_TIME_set(nil, time_t(seconds)) else {
            throw CryptoError(code: .invalidParameter, message: "time \(seconds) cannot be encoded")
        }
        defer { ASN1_STRING_free(time) }
        try body(time)
    }
}
