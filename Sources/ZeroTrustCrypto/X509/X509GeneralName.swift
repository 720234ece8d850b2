internal import CZeroTrustOpenSSL
internal import CZeroTrustShims

/// One GeneralName (RFC 5280 §4.2.1.6) of a subjectAltName extension.
package enum X509GeneralName: Sendable, Hashable {
    case dnsName(String)
    /// 4 or 16 bytes.
    case ipAddress([UInt8])
    case uri(String)
    case email(String)
    case directoryName(X509DistinguishedName)
    case registeredID(oid: String)
    case otherName(typeOID: String)
    /// x400Address or ediPartyName, which this library does not interpret.
    case unsupported(tag: Int)

    init?(_ names: OpaquePointer, index: Int32) {
        var data: UnsafePointer<UInt8>?
        var length: Int32 = 0
        var name: OpaquePointer?
        var oid = [CChar](repeating: 0, count: 128)
        let type = zt_general_name_get(names, index, &data, &length, &name, &oid, Int32(oid.count))
        let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: Int(length))) } ?? []
        let oidText = String(decoding: oid.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        switch type {
        case GEN_DNS: self = .dnsName(String(decoding: bytes, as: UTF8.self))
        case GEN_IPADD: self = .ipAddress(bytes)
        case GEN_URI: self = .uri(String(decoding: bytes, as: UTF8.self))
        case GEN_EMAIL: self = .email(String(decoding: bytes, as: UTF8.self))
        case GEN_DIRNAME: self = .directoryName(X509DistinguishedName(name))
        case GEN_RID: self = .registeredID(oid: oidText)
        case GEN_OTHERNAME: self = .otherName(typeOID: oidText)
        case ..<0: return nil
        default: self = .unsupported(tag: Int(type))
        }
    }
}
