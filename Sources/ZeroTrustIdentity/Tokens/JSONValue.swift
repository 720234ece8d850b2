/// A JSON value as found in token headers, claims and JWKs.
///
/// Parsed strictly (see ``init(parsing:)``): duplicate member names, invalid escapes, lone
/// surrogates, trailing content and excessive nesting are errors, because two parsers that
/// disagree about a token's contents are a security hole (RFC 8725 §2.8, RFC 7515 §10.12).
public enum JSONValue: Sendable, Hashable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number without fraction or exponent that fits in 64 bits.
    case integer(Int64)
    /// Any other number.
    case double(Double)
    /// A string.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object. Member order is not significant.
    case object([String: JSONValue])

    /// The string, if this is one.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The number as a `Double`, if this is a number.
    public var numberValue: Double? {
        switch self {
        case .integer(let value): Double(value)
        case .double(let value): value
        default: nil
        }
    }

    /// The elements, if this is an array.
    public var arrayValue: [JSONValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    /// The members, if this is an object.
    public var objectValue: [String: JSONValue]? {
        if case .object(let value) = self { return value }
        return nil
    }

    /// An array of strings, if this is an array whose elements are all strings.
    public var stringArrayValue: [String]? {
        guard case .array(let elements) = self else { return nil }
        var strings: [String] = []
        strings.reserveCapacity(elements.count)
        for element in elements {
            guard case .string(let value) = element else { return nil }
            strings.append(value)
        }
        return strings
    }

    /// Parses UTF-8 JSON text strictly.
    /// - Throws: ``TokenError/Code/invalidJSON``, saying what is wrong and at which byte offset.
    public init(parsing bytes: some Collection<UInt8>) throws(TokenError) {
        do {
            let parsed: JSONValue? = try bytes.withContiguousStorageIfAvailable { (buffer) throws(JSONParseError) in
                var parser = StrictJSONParser(buffer)
                return try parser.parseDocument()
            }
            if let parsed {
                self = parsed
            } else {
                self = try Array(bytes).withUnsafeBufferPointer { (buffer) throws(JSONParseError) in
                    var parser = StrictJSONParser(buffer)
                    return try parser.parseDocument()
                }
            }
        } catch let error as JSONParseError {
            throw TokenError(code: .invalidJSON, message: error.description)
        } catch {
            throw TokenError(code: .invalidJSON, message: "\(error)")
        }
    }

    /// Compact JSON text with object members sorted by name (a stable encoding).
    public var serialized: String {
        ByteWriter.with { output in
            JSONWriter.write(self, into: &output)
            return String(decoding: output.bytes, as: UTF8.self)
        }
    }
}

/// The error a strict parse reports: position and reason.
struct JSONParseError: Error, CustomStringConvertible {
    let offset: Int
    let reason: String
    var description: String { "\(reason) at byte offset \(offset)" }
}
