import ZeroTrustCrypto
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One subjectAltName entry (RFC 5280 §4.2.1.6).
public enum SubjectAlternativeName: Sendable, Hashable, CustomStringConvertible {
    /// A dNSName.
    case dnsName(String)
    /// An iPAddress in textual form (`192.0.2.1`, `2001:db8::1`).
    case ipAddress(String)
    /// A uniformResourceIdentifier, e.g. a SPIFFE ID.
    case uri(String)
    /// An rfc822Name.
    case email(String)
    /// A directoryName.
    case directoryName(DistinguishedName)
    /// A registeredID (dotted OID).
    case registeredID(String)
    /// An otherName, identified by its type OID; its value is not interpreted.
    case otherName(typeOID: String)
    /// An x400Address or ediPartyName (by context tag), not interpreted.
    case unsupported(tag: Int)

    init(_ name: X509GeneralName) {
        switch name {
        case .dnsName(let value): self = .dnsName(value)
        case .ipAddress(let bytes): self = .ipAddress(Self.format(ip: bytes))
        case .uri(let value): self = .uri(value)
        case .email(let value): self = .email(value)
        case .directoryName(let value): self = .directoryName(DistinguishedName(value))
        case .registeredID(let oid): self = .registeredID(oid)
        case .otherName(let oid): self = .otherName(typeOID: oid)
        case .unsupported(let tag): self = .unsupported(tag: tag)
        }
    }

    /// `DNS:…`, `IP:…`, `URI:…`, `email:…`, `DirName:…`, `RID:…`, `othername:…` as OpenSSL prints them.
    public var description: String {
        switch self {
        case .dnsName(let value): "DNS:\(value)"
        case .ipAddress(let value): "IP:\(value)"
        case .uri(let value): "URI:\(value)"
        case .email(let value): "email:\(value)"
        case .directoryName(let name): "DirName:\(name.rfc2253)"
        case .registeredID(let oid): "RID:\(oid)"
        case .otherName(let oid): "othername:\(oid)"
        case .unsupported(let tag): "unsupported:[\(tag)]"
        }
    }

    /// Textual form of a 4- or 16-byte address; other lengths (malformed) as hex.
    static func format(ip bytes: [UInt8]) -> String {
        let family: Int32
        switch bytes.count {
        case 4: family = AF_INET
        case 16: family = AF_INET6
        default: return "invalid:" + bytes.map { String($0, radix: 16) }.joined(separator: ":")
        }
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        guard inet_ntop(family, bytes, &buffer, socklen_t(buffer.count)) != nil else { return "invalid" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
