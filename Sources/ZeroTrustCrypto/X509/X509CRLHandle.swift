internal import CZeroTrustOpenSSL

/// Owns one OpenSSL `X509_CRL`. Immutable after creation, hence `@unchecked Sendable` on the same
/// grounds as ``X509Handle``.
package final class X509CRLHandle: @unchecked Sendable {
    let pointer: OpaquePointer

    init(taking pointer: OpaquePointer) { self.pointer = pointer }

    deinit { X509_CRL_free(pointer) }

    /// Parses one DER `CertificateList`; the bytes must hold exactly one structure.
    package static func parse(der: [UInt8]) throws(CryptoError) -> X509CRLHandle {
        OpenSSLErrorQueue.clear()
        guard !der.isEmpty else { throw CryptoError(code: .malformedDER, message: "empty CRL") }
        var consumed = 0
        let handle: X509CRLHandle? = der.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return nil }
            var cursor: UnsafePointer<UInt8>? = base
            guard let crl = d2i_X509_CRL(nil, &cursor, buffer.count) else { return nil }
            consumed = cursor.map { $0 - base } ?? 0
            return X509CRLHandle(taking: crl)
        }
        guard let handle else {
            throw CryptoError.openSSL(.malformedDER, "not a DER X.509 CRL (\(der.count) bytes)")
        }
        guard consumed == der.count else {
            throw CryptoError(code: .malformedDER,
                              message: "CRL has \(der.count - consumed) bytes of trailing data at byte offset \(consumed)")
        }
        return handle
    }

    /// The CRL's DER encoding.
    package var der: [UInt8] {
        let length = i2d_X509_CRL(pointer, nil)
        guard length > 0 else { return [] }
        return [UInt8](unsafeUninitializedCapacity: Int(length)) { out, count in
            var cursor = out.baseAddress
            count = i2d_X509_CRL(pointer, &cursor) == length ? Int(length) : 0
        }
    }

    package var issuer: X509DistinguishedName { X509DistinguishedName(X509_CRL_get_issuer(pointer)) }
    /// thisUpdate, seconds since 1970.
    package var thisUpdate: Int64? { X509Handle.unixTime(X509_CRL_get0_lastUpdate(pointer)) }
    /// nextUpdate, seconds since 1970; nil when absent.
    package var nextUpdate: Int64? { X509Handle.unixTime(X509_CRL_get0_nextUpdate(pointer)) }
}
