internal import Foundation

/// A strict RFC 8259 parser over UTF-8 bytes: no duplicate member names, no trailing content, no
/// invalid UTF-8, no lone surrogates, bounded nesting. It runs on every token verification, so it
/// works on a raw buffer, builds objects as member lists, and avoids intermediate strings.
struct StrictJSONParser {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0
    private var depth = 0
    static let maximumDepth = 32

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// Parses a whole document.
    mutating func parseDocument() throws(JSONParseError) -> JSONValue {
        skipWhitespace()
        let value = try parseValue()
        try expectEnd()
        return value
    }

    /// Parses a whole document that must be an object, returning its members in document order.
    mutating func parseObjectDocument() throws(JSONParseError) -> [(String, JSONValue)]? {
        skipWhitespace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: "{") else { return nil }
        let members = try parseMembers()
        try expectEnd()
        return members
    }

    private func fail(_ reason: String) -> JSONParseError { JSONParseError(offset: index, reason: reason) }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    mutating func parseValue() throws(JSONParseError) -> JSONValue {
        guard index < bytes.count else { throw fail("unexpected end of input") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return .object(try Self.dictionary(parseMembers()))
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw fail("unexpected character")
        }
    }

    private static func dictionary(_ members: [(String, JSONValue)]) -> [String: JSONValue] {
        var dictionary = [String: JSONValue](minimumCapacity: members.count)
        for (name, value) in members { dictionary[name] = value }
        return dictionary
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
        let count = literal.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw fail("unexpected end of input") }
        let pointer = literal.utf8Start
        for offset in 0..<count where bytes[index + offset] != pointer[offset] {
            throw fail("invalid literal")
        }
        index += count
    }

    private mutating func enter() throws(JSONParseError) {
        depth += 1
        guard depth <= Self.maximumDepth else { throw fail("nesting deeper than \(Self.maximumDepth)") }
    }

    /// Starts reading the object at the current position; then call ``nextMember(first:)`` until
    /// it returns nil, consuming each member's value with one of the `parse…` methods in between.
    mutating func beginObject() throws(JSONParseError) {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "{") else { throw fail("expected an object") }
        try enter()
        index += 1
    }

    /// The next member's name and the byte offset where it starts, positioned at its value; nil
    /// after the closing brace. `first` is true for the first call after ``beginObject()``.
    /// Duplicate names are the caller's to detect: it knows which names it routes where.
    mutating func nextMember(first: Bool) throws(JSONParseError) -> (name: MemberName, offset: Int)? {
        skipWhitespace()
        guard index < bytes.count else { throw fail("unexpected end of input in object") }
        if bytes[index] == UInt8(ascii: "}") {
            index += 1
            depth -= 1
            return nil
        }
        if !first {
            guard bytes[index] == UInt8(ascii: ",") else { throw fail("expected ',' or '}'") }
            index += 1
            skipWhitespace()
        }
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw fail("expected a member name") }
        let offset = index
        let name = try parseMemberName()
        skipWhitespace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw fail("expected ':'") }
        index += 1
        skipWhitespace()
        return (name, offset)
    }

    /// Consumes a string value whose text is exactly `expected` (no escapes) and returns true, or
    /// consumes nothing and returns false. Lets callers reuse a `String` they already hold for the
    /// values they expect, instead of building an equal one.
    mutating func consumeString(equalTo expected: String) -> Bool {
        // Read in place (a `var` copy for `withUTF8` would count a reference each time); a string
        // without contiguous UTF-8 just takes the general path.
        expected.utf8.withContiguousStorageIfAvailable { text in
            // Opening quote, the exact bytes, closing quote; an escape or control character in
            // `expected` can never match raw JSON text, so such values take the general path.
            let end = index + 1 + text.count
            guard end < bytes.count, bytes[index] == UInt8(ascii: "\""), bytes[end] == UInt8(ascii: "\""),
                  !text.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }),
                  let textBase = text.baseAddress, let base = bytes.baseAddress,
                  memcmp(base + index + 1, textBase, text.count) == 0 else { return false }
            index = end + 1
            return true
        } ?? false
    }

    /// Parses a string value if one starts here, or consumes nothing and returns nil.
    mutating func parseStringIfPresent() throws(JSONParseError) -> String? {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return nil }
        return try parseString()
    }

    /// The byte offset of the next byte to read.
    var offset: Int { index }

    /// Moves past the value starting here by its structure alone, without checking it: a string to
    /// its closing quote (past backslash escapes), an array or object to its matching bracket
    /// (outside strings), anything else to the next delimiter or whitespace. Returns false if the
    /// input ends first. It only finds where a valid value would end, for callers that check the
    /// skipped bytes some other way (``CustomClaimsCache`` compares them with bytes this parser
    /// accepted, or parses them with ``parseMember(at:)``).
    mutating func skipValueUnchecked() -> Bool {
        var open = 0
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\""):
                index += 1
                while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
                    index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1
                }
                guard index < bytes.count else { return false }
                index += 1
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                open += 1
                index += 1
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                guard open > 0 else { return false }
                open -= 1
                index += 1
            default:
                guard open == 0 else {
                    index += 1
                    continue
                }
                // A number or literal: up to the next delimiter.
                let start = index
                while index < bytes.count {
                    switch bytes[index] {
                    case UInt8(ascii: ","), UInt8(ascii: "]"), UInt8(ascii: "}"), 0x20, 0x09, 0x0A, 0x0D: return index > start
                    default: index += 1
                    }
                }
                return false
            }
            if open == 0 { return true }
        }
        return false
    }

    /// Moves past the value starting here if the document's bytes from `start` (where this
    /// member's name began) to the end of the value are exactly `text`, followed by a delimiter
    /// (`,`, `}`, whitespace), and returns true; else moves nothing and returns false. When
    /// `text` is a member this parser accepted before, its value therefore ends exactly there.
    mutating func skipValue(ifTextFrom start: Int, equals text: UnsafeBufferPointer<UInt8>) -> Bool {
        let end = start + text.count
        guard start <= index, end > index, end < bytes.count, let base = bytes.baseAddress, let textBase = text.baseAddress,
              memcmp(base + start, textBase, text.count) == 0 else { return false }
        switch bytes[end] {
        case UInt8(ascii: ","), UInt8(ascii: "}"), 0x20, 0x09, 0x0A, 0x0D: break
        default: return false
        }
        index = end
        return true
    }

    /// Parses, strictly, the member of the document's top-level object whose name starts at
    /// `offset` (a value ``nextMember(first:)`` returned), and returns its name, its value and the
    /// offset just past the value. Errors carry offsets in the whole document.
    mutating func parseMember(at offset: Int) throws(JSONParseError) -> (name: String, value: JSONValue, end: Int) {
        index = offset
        depth = 1  // inside the top-level object, as when the member was first met
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw fail("expected a member name") }
        let name = try parseMemberName().string
        skipWhitespace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw fail("expected ':'") }
        index += 1
        skipWhitespace()
        let value = try parseValue()
        return (name, value, index)
    }

    /// Parses an integer if one starts here in its plain form (digits, no leading zero, at most 18
    /// of them, optionally negative, not followed by a fraction or exponent), or consumes nothing
    /// and returns nil for the general parser to judge: the NumericDates of every token.
    mutating func parsePlainIntegerIfPresent() -> Int64? {
        var scan = index
        let negative = scan < bytes.count && bytes[scan] == UInt8(ascii: "-")
        if negative { scan += 1 }
        let start = scan
        var magnitude: Int64 = 0
        while scan < bytes.count, scan - start < 19 {
            let digit = bytes[scan] &- UInt8(ascii: "0")
            guard digit < 10 else { break }
            magnitude = magnitude &* 10 &+ Int64(digit)
            scan += 1
        }
        let digitCount = scan - start
        guard digitCount > 0, digitCount <= 18, bytes[start] != UInt8(ascii: "0") else { return nil }
        if scan < bytes.count {
            switch bytes[scan] {
            case UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"), UInt8(ascii: "0")...UInt8(ascii: "9"): return nil
            default: break
            }
        }
        index = scan
        return negative ? -magnitude : magnitude
    }

    /// Whether the document starts with an object (after whitespace).
    mutating func atObject() -> Bool {
        skipWhitespace()
        return index < bytes.count && bytes[index] == UInt8(ascii: "{")
    }

    /// Fails unless only whitespace is left.
    mutating func expectEnd() throws(JSONParseError) {
        skipWhitespace()
        guard index == bytes.count else { throw fail("unexpected content after the JSON value") }
    }

    private mutating func parseMembers() throws(JSONParseError) -> [(String, JSONValue)] {
        var members: [(String, JSONValue)] = []
        members.reserveCapacity(8)
        // Small objects (every token header and payload) check duplicates by scanning; large
        // ones switch to a set.
        var seen: Set<String>?
        try beginObject()
        while let (memberName, nameOffset) = try nextMember(first: members.isEmpty) {
            let name = memberName.string
            let value = try parseValue()
            let duplicate: Bool
            if seen == nil && members.count < 16 {
                duplicate = members.contains { $0.0 == name }
            } else {
                if seen == nil { seen = Set(members.map(\.0)) }
                duplicate = seen?.insert(name).inserted == false
            }
            if duplicate {
                throw JSONParseError(offset: nameOffset, reason: "duplicate member name \"\(name.prefix(64))\"")
            }
            members.append((name, value))
        }
        return members
    }

    /// A member name: its bytes in the document when they are plain ASCII without escapes (the
    /// common case, compared without building a `String`), else the decoded string.
    enum MemberName {
        case ascii(UnsafeBufferPointer<UInt8>)
        case decoded(String)

        var string: String {
            switch self {
            case .ascii(let bytes): String(decoding: bytes, as: UTF8.self)
            case .decoded(let string): string
            }
        }
    }

    private mutating func parseMemberName() throws(JSONParseError) -> MemberName {
        let start = index + 1
        var scan = start
        while scan < bytes.count {
            let byte = bytes[scan]
            if byte == UInt8(ascii: "\"") {
                index = scan + 1
                return .ascii(UnsafeBufferPointer(rebasing: bytes[start..<scan]))
            }
            guard byte >= 0x20, byte < 0x80, byte != UInt8(ascii: "\\") else { break }
            scan += 1
        }
        return .decoded(try parseString())
    }

    private mutating func parseArray() throws(JSONParseError) -> JSONValue {
        try enter()
        index += 1
        var elements: [JSONValue] = []
        elements.reserveCapacity(4)
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            depth -= 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try parseValue())
            skipWhitespace()
            guard index < bytes.count else { throw fail("unexpected end of input in array") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            guard bytes[index] == UInt8(ascii: "]") else { throw fail("expected ',' or ']'") }
            index += 1
            depth -= 1
            return .array(elements)
        }
    }

    private mutating func parseString() throws(JSONParseError) -> String {
        index += 1  // opening quote
        let start = index
        var ascii = true
        // Fast path: no escapes.
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let slice = UnsafeBufferPointer(rebasing: bytes[start..<index])
                index += 1
                if ascii { return String(decoding: slice, as: UTF8.self) }
                guard let string = String(validating: slice, as: UTF8.self) else {
                    throw JSONParseError(offset: start, reason: "invalid UTF-8 in string")
                }
                return string
            }
            if byte == UInt8(ascii: "\\") { break }
            guard byte >= 0x20 else { throw fail("control character in string") }
            if byte >= 0x80 { ascii = false }
            index += 1
        }
        var scalars = Array(bytes[start..<index])
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                guard let string = String(validating: scalars, as: UTF8.self) else {
                    throw JSONParseError(offset: start, reason: "invalid UTF-8 in string")
                }
                return string
            case UInt8(ascii: "\\"):
                index += 1
                guard index < bytes.count else { throw fail("unterminated escape") }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""): scalars.append(0x22)
                case UInt8(ascii: "\\"): scalars.append(0x5C)
                case UInt8(ascii: "/"): scalars.append(0x2F)
                case UInt8(ascii: "b"): scalars.append(0x08)
                case UInt8(ascii: "f"): scalars.append(0x0C)
                case UInt8(ascii: "n"): scalars.append(0x0A)
                case UInt8(ascii: "r"): scalars.append(0x0D)
                case UInt8(ascii: "t"): scalars.append(0x09)
                case UInt8(ascii: "u"):
                    var code = try parseHex4()
                    if (0xD800...0xDBFF).contains(code) {
                        guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                            throw fail("lone high surrogate")
                        }
                        index += 2
                        let low = try parseHex4()
                        guard (0xDC00...0xDFFF).contains(low) else { throw fail("invalid low surrogate") }
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00...0xDFFF).contains(code) {
                        throw fail("lone low surrogate")
                    }
                    guard let scalar = Unicode.Scalar(code) else { throw fail("invalid code point") }
                    scalars.append(contentsOf: UTF8.encode(scalar).map { Array($0) } ?? [])
                default:
                    throw fail("invalid escape")
                }
            default:
                guard byte >= 0x20 else { throw fail("control character in string") }
                scalars.append(byte)
                index += 1
            }
        }
        throw fail("unterminated string")
    }

    private mutating func parseHex4() throws(JSONParseError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw fail("truncated \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw fail("invalid hex digit in \\u escape")
            }
            value = value << 4 | digit
            index += 1
        }
        return value
    }

    private mutating func parseNumber() throws(JSONParseError) -> JSONValue {
        let start = index
        let negative = bytes[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        guard index < bytes.count else { throw fail("truncated number") }
        // Integers are accumulated directly; anything else goes through Double's parser.
        var magnitude: UInt64 = 0
        var fits = true
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else if (UInt8(ascii: "1")...UInt8(ascii: "9")).contains(bytes[index]) {
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) {
                let (times10, overflow1) = magnitude.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = times10.addingReportingOverflow(UInt64(bytes[index] - UInt8(ascii: "0")))
                if overflow1 || overflow2 { fits = false }
                magnitude = sum
                index += 1
            }
        } else {
            throw fail("invalid number")
        }
        var integral = true
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            integral = false
            index += 1
            let digits = index
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
            guard index > digits else { throw fail("digits expected after '.'") }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            integral = false
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            let digits = index
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
            guard index > digits else { throw fail("digits expected in exponent") }
        }
        if integral && fits {
            if !negative, magnitude <= UInt64(Int64.max) { return .integer(Int64(magnitude)) }
            if negative, magnitude <= UInt64(Int64.max) + 1 { return .integer(magnitude == UInt64(Int64.max) + 1 ? .min : -Int64(magnitude)) }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        guard let value = Double(text), value.isFinite else { throw JSONParseError(offset: start, reason: "number out of range") }
        return .double(value)
    }
}
