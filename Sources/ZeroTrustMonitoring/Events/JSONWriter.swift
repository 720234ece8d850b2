import Foundation

/// Appends compact JSON to a byte buffer without intermediate strings: the encoders' hot path.
/// Callers write keys in a fixed order, so output is deterministic (the chain hashes these bytes).
struct JSONWriter {
    var bytes: [UInt8]
    private var needsComma = false

    /// Empties the buffer, keeping its capacity (the chained writer reuses one writer).
    mutating func reset() { bytes.removeAll(keepingCapacity: true); needsComma = false }

    /// Ends a line (JSON lines: one object per line); the next object starts without a comma.
    mutating func endLine() { bytes.append(UInt8(ascii: "\n")); needsComma = false }

    init(reservingCapacity capacity: Int = 512) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    mutating func beginObject() { separate(); bytes.append(UInt8(ascii: "{")); needsComma = false }
    mutating func endObject() { bytes.append(UInt8(ascii: "}")); needsComma = true }
    mutating func beginArray() { separate(); bytes.append(UInt8(ascii: "[")); needsComma = false }
    mutating func endArray() { bytes.append(UInt8(ascii: "]")); needsComma = true }

    mutating func key(_ name: StaticString) {
        // `,"name":` assembled on the stack and appended in one copy: one capacity and uniqueness
        // check instead of five (keys are the most frequent write).
        let comma = needsComma
        name.withUTF8Buffer { name in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: name.count + 4) { text in
                var position = 0
                if comma {
                    text[0] = UInt8(ascii: ",")
                    position = 1
                }
                text[position] = UInt8(ascii: "\"")
                position += 1
                for byte in name {
                    text[position] = byte
                    position += 1
                }
                text[position] = UInt8(ascii: "\"")
                text[position + 1] = UInt8(ascii: ":")
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: text[..<(position + 2)]))
            }
        }
        needsComma = false
    }

    mutating func dynamicKey(_ name: String) {
        separate()
        appendQuoted(name)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    mutating func string(_ value: String) { separate(); appendQuoted(value); needsComma = true }

    mutating func int<T: BinaryInteger>(_ value: T) {
        separate()
        Self.appendDecimal(value, to: &bytes)
        needsComma = true
    }

    /// Appends `value` in decimal, digit by digit into a stack buffer (no intermediate `String`).
    static func appendDecimal<T: BinaryInteger>(_ value: T, to bytes: inout [UInt8]) {
        guard var magnitude = UInt64(exactly: value.magnitude) else {
            bytes.append(contentsOf: String(value).utf8)
            return
        }
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var start = digits.count
            repeat {
                start -= 1
                digits[start] = 0x30 &+ UInt8(truncatingIfNeeded: magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: digits[start...]))
        }
    }

    mutating func bool(_ value: Bool) { separate(); bytes.append(contentsOf: (value ? "true" : "false").utf8); needsComma = true }
    mutating func null() { separate(); bytes.append(contentsOf: "null".utf8); needsComma = true }

    /// Bytes that are already valid JSON (a nested encoded object).
    mutating func raw(_ json: some Collection<UInt8>) { separate(); bytes.append(contentsOf: json); needsComma = true }

    mutating func field(_ name: StaticString, _ value: String) { key(name); string(value) }
    mutating func field(_ name: StaticString, _ value: String?) { if let value { key(name); string(value) } }
    mutating func field<T: BinaryInteger>(_ name: StaticString, _ value: T) { key(name); int(value) }
    mutating func field(_ name: StaticString, _ value: Int?) { if let value { key(name); int(value) } }
    mutating func field(_ name: StaticString, _ value: Bool) { key(name); bool(value) }
    mutating func field(_ name: StaticString, _ values: [String]) {
        key(name)
        beginArray()
        for value in values { string(value) }
        endArray()
    }

    /// A UUID as a quoted lowercase string, written from its bytes (no intermediate `String`).
    mutating func uuid(_ id: UUID) {
        separate()
        // Filled on the stack and appended in one copy: per-byte appends dominated this function.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 38) { text in
            let digits: StaticString = "0123456789abcdef"
            digits.withUTF8Buffer { hex in
                withUnsafeBytes(of: id.uuid) { raw in
                    text[0] = UInt8(ascii: "\"")
                    var position = 1
                    for index in 0..<16 {
                        if index == 4 || index == 6 || index == 8 || index == 10 {
                            text[position] = UInt8(ascii: "-")
                            position += 1
                        }
                        text[position] = hex[Int(raw[index] >> 4)]
                        text[position + 1] = hex[Int(raw[index] & 0x0f)]
                        position += 2
                    }
                    text[position] = UInt8(ascii: "\"")
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(text))
        }
        needsComma = true
    }

    /// An RFC 3339 UTC time with microseconds, quoted, written digit by digit.
    mutating func timestamp(_ date: Date) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        RFC3339.append(date, to: &bytes)
        bytes.append(UInt8(ascii: "\""))
        needsComma = true
    }

    private mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// RFC 8259 string escaping: quote, backslash and control characters; everything else verbatim.
    private mutating func appendQuoted(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { utf8 in
            var start = 0
            var index = Self.firstByteToEscape(in: utf8, from: 0)
            while index < utf8.count {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index]))
                let byte = utf8[index]
                switch byte {
                case 0x22: bytes.append(contentsOf: [0x5c, 0x22])
                case 0x5c: bytes.append(contentsOf: [0x5c, 0x5c])
                case 0x0a: bytes.append(contentsOf: [0x5c, UInt8(ascii: "n")])
                case 0x0d: bytes.append(contentsOf: [0x5c, UInt8(ascii: "r")])
                case 0x09: bytes.append(contentsOf: [0x5c, UInt8(ascii: "t")])
                default:
                    bytes.append(contentsOf: [0x5c, UInt8(ascii: "u"), 0x30, 0x30,
                                              Self.hexDigits[Int(byte >> 4)], Self.hexDigits[Int(byte & 0xf)]])
                }
                start = index + 1
                index = Self.firstByteToEscape(in: utf8, from: start)
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// The index of the first byte at or after `start` that JSON requires escaping (below 0x20,
    /// `"` or `\`), or `utf8.count`. Tests eight bytes at a time: most strings need no escaping,
    /// and a byte-by-byte scan of them was the encoder's largest cost.
    static func firstByteToEscape(in utf8: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var index = start
        if let base = utf8.baseAddress {
            let raw = UnsafeRawPointer(base)
            let ones: UInt64 = 0x0101_0101_0101_0101
            let highs: UInt64 = 0x8080_8080_8080_8080
            while index + 8 <= utf8.count {
                let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                // Per byte, the high bit is set by a byte below 0x20, or a zero byte after XOR
                // with the quote or the backslash (can flag false positives only above a real one).
                let control = (word &- (ones &* 0x20)) & ~word
                let quote = word ^ (ones &* 0x22)
                let backslash = word ^ (ones &* 0x5c)
                let flags = control | ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash)
                if flags & highs != 0 { break }
                index += 8
            }
        }
        while index < utf8.count {
            let byte = utf8[index]
            if byte < 0x20 || byte == 0x22 || byte == 0x5c { return index }
            index += 1
        }
        return index
    }
}
