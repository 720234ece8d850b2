internal import CZeroTrustOpenSSL
internal import CZeroTrustShims

/// A distinguished name read out of an `X509_NAME`: its RFC 2253 text and its attributes in
/// order, as (short name, UTF-8 value) pairs, e.g. ("CN", "alice"), ("O", "Corp").
package struct X509DistinguishedName: Sendable, Hashable {
    /// RFC 2253 form, most significant attribute last (`CN=alice,O=Corp`).
    package let rfc2253: String
    package let attributes: [X509NameAttribute]

    init(_ name: OpaquePointer?) {
        guard let name else {
            rfc2253 = ""
            attributes = []
            return
        }
        rfc2253 = Self.print(name)
        attributes = (0..<X509_NAME_entry_count(name)).compactMap { index in
            guard let entry = X509_NAME_get_entry(name, index),
                  let object = X509_NAME_ENTRY_get_object(entry),
                  let data = X509_NAME_ENTRY_get_data(entry)
            else { return nil }
            var utf8: UnsafeMutablePointer<UInt8>?
            let length = ASN1_STRING_to_UTF8(&utf8, data)
            guard length >= 0, let utf8 else { return nil }
            defer { zt_openssl_free(utf8) }
            let value = String(decoding: UnsafeBufferPointer(start: utf8, count: Int(length)), as: UTF8.self)
            return X509NameAttribute(shortName: X509Handle.shortName(OBJ_obj2nid(object)), value: value)
        }
    }

    private static func print(_ name: OpaquePointer) -> String {
        guard let bio = BIO_new(BIO_s_mem()) else { return "" }
        defer { BIO_free(bio) }
        guard X509_NAME_print_ex(bio, name, 0, zt_xn_flags_rfc2253_utf8()) >= 0 else { return "" }
        var data: UnsafeMutablePointer<CChar>?
        let length = zt_bio_get_mem_data(bio, &data)
        guard length > 0, let data else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: data, count: Int(length)), as: UTF8.self)
    }
}

/// One attribute of a distinguished name.
package struct X509NameAttribute: Sendable, Hashable {
    package let shortName: String
    package let value: String

    package init(shortName: String, value: String) {
        self.shortName = shortName
        self.value = value
    }
}
