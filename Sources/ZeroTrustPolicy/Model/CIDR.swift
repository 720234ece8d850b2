/// An IPv4 or IPv6 network in CIDR notation, such as `10.0.0.0/8` or `2001:db8::/32`.
///
/// IPv4 blocks are held in IPv4-mapped form (`10.0.0.0/8` is `::ffff:10.0.0.0/104`), so an
/// IPv4-mapped IPv6 address falls in the IPv4 block it maps to. Host bits must be zero:
/// `10.0.0.1/8` is rejected rather than silently widened.
///
/// ```swift
/// let net = try CIDR("10.0.0.0/8")
/// net.contains(IPAddress("10.1.2.3")!)   // true
/// ```
public struct CIDR: Hashable, Sendable, CustomStringConvertible {
    /// The first address of the block.
    public let network: IPAddress
    /// The prefix length in the 128-bit space (IPv4 prefixes are offset by 96).
    public let prefixLength: Int
    /// The block as written, for example `10.0.0.0/8`.
    public let description: String

    /// Parses `ADDRESS/PREFIX`; a bare address is a single-host block (`/32` or `/128`).
    /// - Throws: ``PolicyError`` with code ``PolicyError/Code/invalidCIDR``.
    public init(_ text: String) throws(PolicyError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let address = IPAddress(String(parts[0])) else {
            throw PolicyError(code: .invalidCIDR, message: "invalid CIDR '\(text)': not an IP address")
        }
        let isV4 = !parts[0].contains(":")
        let maxLength = isV4 ? 32 : 128
        var length = maxLength
        if parts.count == 2 {
            guard !parts[1].isEmpty, parts[1].count <= 3, parts[1].allSatisfy({ $0.isASCII && $0.isNumber }),
                  let parsed = Int(parts[1]), parsed <= maxLength
            else {
                throw PolicyError(code: .invalidCIDR, message: "invalid CIDR '\(text)': prefix length must be 0…\(maxLength)")
            }
            length = parsed
        }
        let full = isV4 ? length + 96 : length
        let mask: UInt128 = full == 0 ? 0 : ~UInt128(0) << UInt128(128 - full)
        guard address.value & ~mask == 0 else {
            throw PolicyError(code: .invalidCIDR, message: "invalid CIDR '\(text)': host bits are set")
        }
        network = address
        prefixLength = full
        description = text
    }

    /// The last address of the block.
    public var lastAddress: IPAddress {
        let hostMask: UInt128 = prefixLength == 0 ? ~0 : (prefixLength == 128 ? 0 : ~UInt128(0) >> UInt128(prefixLength))
        return IPAddress(value: network.value | hostMask)
    }

    /// Whether `address` lies in the block.
    public func contains(_ address: IPAddress) -> Bool {
        address.value >= network.value && address.value <= lastAddress.value
    }
}
