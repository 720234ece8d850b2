/// An IPv4 or IPv6 address.
///
/// Both families are stored as one 128-bit value: an IPv4 address `a.b.c.d` is stored as its
/// IPv4-mapped IPv6 form `::ffff:a.b.c.d`, so an IPv4-mapped IPv6 address is the same address as
/// its IPv4 form and matches IPv4 ranges.
///
/// ```swift
/// let ip = IPAddress("::ffff:10.1.2.3")   // == IPAddress("10.1.2.3")
/// ```
public struct IPAddress: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The address as a 128-bit big-endian number (IPv4 in its IPv4-mapped form).
    public let value: UInt128

    static let mappedPrefix: UInt128 = 0xFFFF << 32

    /// Creates an address from its 128-bit value.
    public init(value: UInt128) { self.value = value }

    /// Parses dotted-quad IPv4 or RFC 4291 IPv6 text (with `::` compression and an optional
    /// trailing dotted quad). Returns `nil` for anything else, including zone identifiers.
    public init?(_ text: String) {
        if text.contains(":") {
            guard let v = IPAddress.parseIPv6(Substring(text)) else { return nil }
            value = v
        } else {
            guard let v4 = IPAddress.parseIPv4(Substring(text)) else { return nil }
            value = IPAddress.mappedPrefix | UInt128(v4)
        }
    }

    /// Whether this is an IPv4 address (or an IPv4-mapped IPv6 address).
    public var isIPv4: Bool { value >> 32 == 0xFFFF }

    /// Dotted quad for IPv4 (and IPv4-mapped) addresses, RFC 5952 text for IPv6.
    public var description: String {
        if isIPv4 {
            // Digits written directly (every audited request formats its source address; string
            // interpolation of four integers cost several times this).
            let v = UInt32(truncatingIfNeeded: value)
            return String(unsafeUninitializedCapacity: 15) { buffer in
                var count = 0
                for shift in stride(from: 24, through: 0, by: -8) {
                    if shift != 24 {
                        buffer[count] = UInt8(ascii: ".")
                        count += 1
                    }
                    let octet = UInt8(truncatingIfNeeded: v >> UInt32(shift))
                    if octet >= 100 {
                        buffer[count] = UInt8(ascii: "0") + octet / 100
                        count += 1
                    }
                    if octet >= 10 {
                        buffer[count] = UInt8(ascii: "0") + octet / 10 % 10
                        count += 1
                    }
                    buffer[count] = UInt8(ascii: "0") + octet % 10
                    count += 1
                }
                return count
            }
        }
        var groups: [UInt16] = []
        for i in 0..<8 { groups.append(UInt16(truncatingIfNeeded: value >> UInt128((7 - i) * 16))) }
        // Longest run of two or more zero groups, first one on ties.
        var bestStart = -1, bestLength = 0, i = 0
        while i < 8 {
            if groups[i] == 0 {
                var j = i
                while j < 8, groups[j] == 0 { j += 1 }
                if j - i > bestLength, j - i >= 2 { bestStart = i; bestLength = j - i }
                i = j
            } else { i += 1 }
        }
        func hex(_ range: Range<Int>) -> String {
            groups[range].map { String($0, radix: 16) }.joined(separator: ":")
        }
        if bestStart < 0 { return hex(0..<8) }
        return hex(0..<bestStart) + "::" + hex((bestStart + bestLength)..<8)
    }

    /// Orders addresses numerically.
    public static func < (lhs: IPAddress, rhs: IPAddress) -> Bool { lhs.value < rhs.value }

    static func parseIPv4(_ text: Substring) -> UInt32? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var result: UInt32 = 0
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy({ $0.isASCII && $0.isNumber }),
                  !(part.count > 1 && part.first == "0"), let octet = UInt32(part), octet <= 255
            else { return nil }
            result = result << 8 | octet
        }
        return result
    }

    static func doubleColon(in text: Substring) -> Range<Substring.Index>? {
        var i = text.startIndex
        while i < text.endIndex {
            let next = text.index(after: i)
            if next < text.endIndex, text[i] == ":", text[next] == ":" { return i..<text.index(after: next) }
            i = next
        }
        return nil
    }

    static func parseIPv6(_ text: Substring) -> UInt128? {
        guard !text.isEmpty, text.count <= 45 else { return nil }
        func groups(_ part: Substring) -> [UInt16]? {
            if part.isEmpty { return [] }
            var out: [UInt16] = []
            let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
            for (index, piece) in pieces.enumerated() {
                if piece.contains(".") {
                    guard index == pieces.count - 1, let v4 = parseIPv4(piece) else { return nil }
                    out.append(UInt16(v4 >> 16))
                    out.append(UInt16(v4 & 0xFFFF))
                } else {
                    guard (1...4).contains(piece.count), piece.allSatisfy(\.isHexDigit),
                          let group = UInt16(piece, radix: 16) else { return nil }
                    out.append(group)
                }
            }
            return out
        }
        var all: [UInt16]
        if let range = doubleColon(in: text) {
            let head = text[..<range.lowerBound], tail = text[range.upperBound...]
            guard !tail.contains("::"), let h = groups(head), let t = groups(tail), h.count + t.count <= 7,
                  !(tail.first == ":"), !(head.last == ":")
            else { return nil }
            all = h + Array(repeating: 0, count: 8 - h.count - t.count) + t
        } else {
            guard let g = groups(text), g.count == 8 else { return nil }
            all = g
        }
        var value: UInt128 = 0
        for group in all { value = value << 16 | UInt128(group) }
        return value
    }
}
