/// Non-secret key–value pairs bound to a wrapped data key and to an envelope, such as
/// `data_id`, `data_type` or `pipeline`: a wrapped key only unwraps under the same context, and
/// a reader can require the context it expects.
///
/// The binding uses a canonical encoding, so the order in which pairs were given never matters:
/// a 2-byte pair count, then for each pair in ascending byte order of the UTF-8 key a 2-byte key
/// length, the key, a 2-byte value length and the value (all lengths big-endian).
///
/// ```swift
/// let context: EncryptionContext = ["data_id": "ds-42", "data_type": "training-set"]
/// ```
public struct EncryptionContext: Sendable, Hashable, ExpressibleByDictionaryLiteral, CustomStringConvertible {
    /// The pairs.
    public let pairs: [String: String]

    /// The largest canonical encoding accepted: it must fit the envelope header's 2-byte length.
    public static let maximumEncodedByteCount = Int(UInt16.max)

    /// A context from pairs. Keys must be non-empty; the encoding must fit in
    /// ``maximumEncodedByteCount`` bytes.
    public init(_ pairs: [String: String]) throws {
        for key in pairs.keys where key.utf8.isEmpty {
            throw EnvelopeError(code: .invalidContext, message: "encryption context keys must not be empty")
        }
        self.pairs = pairs
        let size = canonicalByteCount
        guard size <= Self.maximumEncodedByteCount else {
            throw EnvelopeError(code: .invalidContext,
                                message: "encryption context encodes to \(size) bytes, more than \(Self.maximumEncodedByteCount)")
        }
    }

    /// A context from a literal. Unlike ``init(_:)`` it cannot throw, so an empty key or an
    /// oversized literal is a programming error reported when the context is first encoded.
    public init(dictionaryLiteral elements: (String, String)...) {
        var pairs: [String: String] = [:]
        for (key, value) in elements { pairs[key] = value }
        self.pairs = pairs
    }

    /// The empty context.
    public static let empty = EncryptionContext()

    /// Whether there are no pairs.
    public var isEmpty: Bool { pairs.isEmpty }

    /// The canonical encoding described above: the bytes bound as associated data.
    public var canonicalBytes: [UInt8] {
        get throws {
            try validate()
            var writer = ByteWriter()
            writer.append(UInt16(pairs.count))
            for (key, value) in sortedPairs {
                writer.append(UInt16(key.utf8.count))
                writer.append(key.utf8)
                writer.append(UInt16(value.utf8.count))
                writer.append(value.utf8)
            }
            return writer.bytes
        }
    }

    /// Parses a canonical encoding, refusing anything that is not exactly what
    /// ``canonicalBytes`` would produce (unsorted or duplicate keys, trailing bytes).
    public init(canonicalBytes bytes: some Sequence<UInt8>) throws {
        var reader = ByteReader(Array(bytes), what: "encryption context", errorCode: .invalidContext)
        let count = try reader.uint16("pair count")
        var pairs: [String: String] = [:]
        var previous: [UInt8]?
        for index in 0..<Int(count) {
            let keyBytes = Array(try reader.read(Int(try reader.uint16("key length")), "key \(index)"))
            let valueBytes = Array(try reader.read(Int(try reader.uint16("value length")), "value \(index)"))
            guard let key = String(validating: keyBytes, as: UTF8.self), !key.isEmpty,
                  let value = String(validating: valueBytes, as: UTF8.self)
            else { throw reader.failure("pair \(index) is not non-empty UTF-8") }
            if let previous, !previous.lexicographicallyPrecedes(keyBytes) {
                throw reader.failure("keys are not in strictly ascending order at pair \(index)")
            }
            previous = keyBytes
            pairs[key] = value
        }
        guard reader.remaining == 0 else { throw reader.failure("\(reader.remaining) trailing bytes") }
        self.pairs = pairs
    }

    /// The pairs sorted by the UTF-8 bytes of their keys (the canonical order).
    public var sortedPairs: [(key: String, value: String)] {
        pairs.sorted { Array($0.key.utf8).lexicographicallyPrecedes(Array($1.key.utf8)) }
    }

    /// `{data_id=ds-42, data_type=training-set}`: context values are not secret.
    public var description: String {
        "{" + sortedPairs.map { "\($0.key)=\($0.value)" }.joined(separator: ", ") + "}"
    }

    private var canonicalByteCount: Int {
        pairs.reduce(2) { $0 + 4 + $1.key.utf8.count + $1.value.utf8.count }
    }

    private func validate() throws {
        guard pairs.count <= Int(UInt16.max), !pairs.keys.contains(where: \.isEmpty),
              pairs.allSatisfy({ $0.key.utf8.count <= Int(UInt16.max) && $0.value.utf8.count <= Int(UInt16.max) }),
              canonicalByteCount <= Self.maximumEncodedByteCount
        else {
            throw EnvelopeError(code: .invalidContext,
                                message: "encryption context has an empty key or encodes to more than \(Self.maximumEncodedByteCount) bytes")
        }
    }
}
