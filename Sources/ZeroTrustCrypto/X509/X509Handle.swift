internal import CZeroTrustOpenSSL
internal import CZeroTrustShims
#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// Owns one OpenSSL `X509`, after swift-nio-ssl's `SSLCertificate`: created once, freed in
/// `deinit`, never mutated afterwards. Sound as `@unchecked Sendable` because it is immutable:
/// OpenSSL 3 caches decoded extensions inside the `X509` under its own lock, so concurrent
/// readers (and concurrent verifications that take references to it) are safe.
package final class X509Handle: @unchecked Sendable {
    let pointer: OpaquePointer

    /// Takes over one reference to `pointer`.
    init(taking pointer: OpaquePointer) { self.pointer = pointer }

    /// Takes a new reference to `pointer`, leaving the caller's reference untouched.
    static func retaining(_ pointer: OpaquePointer) -> X509Handle? {
        guard X509_up_ref(pointer) == 1 else { return nil }
        return X509Handle(taking: pointer)
    }

    deinit { X509_free(pointer) }

    /// Parses one DER `Certificate`; the bytes must hold exactly one structure.
    package static func parse(der: [UInt8]) throws(CryptoError) -> X509Handle {
        OpenSSLErrorQueue.clear()
        guard !der.isEmpty else { throw CryptoError(code: .malformedDER, message: "empty certificate") }
        var consumed = 0
        let handle: X509Handle? = der.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return nil }
            var cursor: UnsafePointer<UInt8>? = base
            guard let x509 = d2i_X509(nil, &cursor, buffer.count) else { return nil }
            consumed = cursor.map { $0 - base } ?? 0
            return X509Handle(taking: x509)
        }
        guard let handle else {
            throw CryptoError.openSSL(.malformedDER, "not a DER X.509 certificate (\(der.count) bytes)")
        }
        guard consumed == der.count else {
            throw CryptoError(code: .malformedDER,
                              message: "certificate has \(der.count - consumed) bytes of trailing data at byte offset \(consumed)")
        }
        return handle
    }

    /// The certificate's DER encoding.
    package var der: [UInt8] {
        let length = i2d_X509(pointer, nil)
        guard length > 0 else { return [] }
        return [UInt8](unsafeUninitializedCapacity: Int(length)) { out, count in
            var cursor = out.baseAddress
            count = i2d_X509(pointer, &cursor) == length ? Int(length) : 0
        }
    }

    package var subject: X509DistinguishedName { X509DistinguishedName(X509_get_subject_name(pointer)) }
    package var issuer: X509DistinguishedName { X509DistinguishedName(X509_get_issuer_name(pointer)) }

    /// The serial number as uppercase hex without leading zeros (OpenSSL's `BN_bn2hex`).
    package var serialNumberHex: String {
        guard let bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(pointer), nil) else { return "" }
        defer { BN_free(bn) }
        guard let hex = BN_bn2hex(bn) else { return "" }
        defer { zt_openssl_free(hex) }
        return String(cString: hex)
    }

    /// notBefore as seconds since 1970 (UTC).
    package var notBefore: Int64 { Self.unixTime(X509_get0_notBefore(pointer)) ?? Int64.max }
    /// notAfter as seconds since 1970 (UTC).
    package var notAfter: Int64 { Self.unixTime(X509_get0_notAfter(pointer)) ?? Int64.min }

    static func unixTime(_ time: UnsafePointer<ASN1_TIME>?) -> Int64? {
        guard let time else { return nil }
        var parts = tm()
        guard ASN1_TIME_to_tm(time, &parts) == 1 else { return nil }
        return Int64(timegm(&parts))
    }

    /// Every subjectAltName entry in order; empty when the extension is absent.
    package var subjectAlternativeNames: [X509GeneralName] {
        guard let names = zt_x509_get_sans(pointer) else { return [] }
        defer { zt_general_names_free(names) }
        return (0..<zt_general_names_num(names)).compactMap { X509GeneralName(names, index: $0) }
    }

    /// The keyUsage bits (OpenSSL's `KU_*` values), or nil when the extension is absent.
    package var keyUsage: UInt32? {
        let usage = X509_get_key_usage(pointer)
        return usage == UInt32.max ? nil : usage
    }

    /// The extendedKeyUsage OIDs in dotted form, or nil when the extension is absent.
    package var extendedKeyUsageOIDs: [String]? {
        guard let eku = zt_x509_get_eku(pointer) else { return nil }
        defer { zt_eku_free(eku) }
        return (0..<zt_eku_num(eku)).compactMap { index in
            var buffer = [CChar](repeating: 0, count: 128)
            let length = zt_eku_oid(eku, index, &buffer, Int32(buffer.count))
            guard length > 0 else { return nil }
            return String(decoding: buffer.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
    }

    /// basicConstraints: nil when absent, else whether it says CA and its pathLenConstraint.
    package var basicConstraints: (isCA: Bool, pathLength: Int?)? {
        let flags = X509_get_extension_flags(pointer)
        guard flags & UInt32(EXFLAG_BCONS) != 0 else { return nil }
        let pathLength = X509_get_pathlen(pointer)
        return (flags & UInt32(EXFLAG_CA) != 0, pathLength >= 0 ? Int(pathLength) : nil)
    }

    /// SHA-256 over the DER encoding.
    package var sha256Fingerprint: [UInt8] {
        var digest = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        guard let md = zt_md_sha256(), X509_digest(pointer, md, &digest, &length) == 1, length == 32 else { return [] }
        return digest
    }

    /// Whether extendedKeyUsage is present, and whether it lists serverAuth / clientAuth. Read from
    /// OpenSSL's cached extension flags, so cheap enough for every verification.
    package var extendedKeyUsageSummary: (present: Bool, serverAuth: Bool, clientAuth: Bool) {
        let present = X509_get_extension_flags(pointer) & UInt32(EXFLAG_XKUSAGE) != 0
        let usage = X509_get_extended_key_usage(pointer)
        return (present, usage & UInt32(XKU_SSL_SERVER) != 0, usage & UInt32(XKU_SSL_CLIENT) != 0)
    }

    /// The subject public key's algorithm, size and curve, without encoding it (for policy checks).
    package var publicKeySummary: (algorithm: String, bitCount: Int, curve: String?) {
        guard let pkey = X509_get0_pubkey(pointer) else { return ("unknown", 0, nil) }
        let algorithm = EVP_PKEY_get0_type_name(pkey).map { String(cString: $0) } ?? "unknown"
        var curve: String?
        if algorithm == "EC" {
            // A stack buffer: this runs for every certificate of every verification.
            curve = withUnsafeTemporaryAllocation(of: CChar.self, capacity: 64) { buffer in
                var length = 0
                guard let base = buffer.baseAddress, EVP_PKEY_get_group_name(pkey, base, buffer.count, &length) == 1 else { return nil }
                return String(decoding: UnsafeRawBufferPointer(start: base, count: length), as: UTF8.self)
            }
        }
        return (algorithm, Int(EVP_PKEY_get_bits(pkey)), curve)
    }

    /// The subject public key's algorithm and size.
    package var publicKey: X509PublicKeyInfo {
        guard let pkey = X509_get_pubkey(pointer) else {
            return X509PublicKeyInfo(algorithm: "unknown", bitCount: 0, curve: nil, spkiDER: [])
        }
        let key = EVPKey(taking: pkey)
        return X509PublicKeyInfo(algorithm: key.typeName, bitCount: key.bitCount, curve: key.groupName,
                                 spkiDER: (try? key.spkiDER()) ?? [])
    }

    /// The signature algorithm, from OpenSSL's NIDs (no string handling: this runs on every
    /// verification). RSASSA-PSS is identified by the digest OpenSSL resolved from its parameters.
    package var signatureScheme: X509SignatureScheme {
        let nid = X509_get_signature_nid(pointer)
        switch nid {
        case NID_ecdsa_with_SHA256: return .ecdsaSHA256
        case NID_ecdsa_with_SHA384: return .ecdsaSHA384
        case NID_ecdsa_with_SHA512: return .ecdsaSHA512
        case NID_ED25519: return .ed25519
        case NID_sha256WithRSAEncryption: return .rsaPKCS1SHA256
        case NID_sha384WithRSAEncryption: return .rsaPKCS1SHA384
        case NID_sha512WithRSAEncryption: return .rsaPKCS1SHA512
        case NID_rsassaPss:
            var digest: Int32 = 0
            guard X509_get_signature_info(pointer, &digest, nil, nil, nil) == 1 else { return .other(name: "rsassaPss") }
            switch digest {
            case NID_sha256: return .rsaPSSSHA256
            case NID_sha384: return .rsaPSSSHA384
            case NID_sha512: return .rsaPSSSHA512
            default: return .other(name: "rsassaPss-" + Self.shortName(digest))
            }
        default:
            return .other(name: OBJ_nid2ln(nid).map { String(cString: $0) } ?? "unknown")
        }
    }

    static func shortName(_ nid: Int32) -> String {
        OBJ_nid2sn(nid).map { String(cString: $0) } ?? "unknown"
    }
}

/// A public key's algorithm as OpenSSL names it ("RSA", "EC", "ED25519", …), its size in bits,
/// its curve for EC keys ("prime256v1", "secp384r1") and its SubjectPublicKeyInfo DER.
package struct X509PublicKeyInfo: Sendable, Hashable {
    package let algorithm: String
    package let bitCount: Int
    package let curve: String?
    package let spkiDER: [UInt8]
}

/// A certificate's signature algorithm; anything else by OpenSSL's long name (e.g. "sha1WithRSAEncryption").
package enum X509SignatureScheme: Sendable, Hashable {
    case ecdsaSHA256, ecdsaSHA384, ecdsaSHA512, ed25519
    case rsaPKCS1SHA256, rsaPKCS1SHA384, rsaPKCS1SHA512
    case rsaPSSSHA256, rsaPSSSHA384, rsaPSSSHA512
    case other(name: String)
}
