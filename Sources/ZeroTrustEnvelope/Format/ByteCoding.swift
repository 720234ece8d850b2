/// Big-endian serialisation for the envelope header, wrapped keys and contexts.
struct ByteWriter {
    private(set) var bytes: [UInt8] = []

    mutating func append(_ value: UInt8) { bytes.append(value) }
    mutating func append(_ value: UInt16) { bytes += [UInt8(value >> 8), UInt8(truncatingIfNeeded: value)] }
    mutating func append(_ value: UInt32) {
        for shift in stride(from: 24, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }
    mutating func append(_ values: some Sequence<UInt8>) { bytes.append(contentsOf: values) }
}

/// Reads big-endian fields, naming the field and byte offset when the input is cut short.
struct ByteReader {
    let bytes: [UInt8]
    private(set) var offset: Int
    /// What is being read, for error messages ("envelope header", "wrapped key").
    let what: String
    let errorCode: EnvelopeError.Code

    init(_ bytes: [UInt8], what: String, errorCode: EnvelopeError.Code, offset: Int = 0) {
        self.bytes = bytes
        self.what = what
        self.errorCode = errorCode
        self.offset = offset
    }

    var remaining: Int { bytes.count - offset }

    mutating func read(_ count: Int, _ field: String) throws(EnvelopeError) -> ArraySlice<UInt8> {
        guard count >= 0, remaining >= count else {
            throw EnvelopeError(code: errorCode,
                                message: "\(what) ends at byte \(bytes.count) inside \(field) (needs \(count) bytes at offset \(offset))")
        }
        defer { offset += count }
        return bytes[offset..<(offset + count)]
    }

    mutating func uint8(_ field: String) throws(EnvelopeError) -> UInt8 { try read(1, field).first ?? 0 }

    mutating func uint16(_ field: String) throws(EnvelopeError) -> UInt16 {
        try read(2, field).reduce(0) { $0 << 8 | UInt16($1) }
    }

    mutating func uint32(_ field: String) throws(EnvelopeError) -> UInt32 {
        try read(4, field).reduce(0) { $0 << 8 | UInt32($1) }
    }

    func failure(_ message: String) -> EnvelopeError {
        EnvelopeError(code: errorCode, message: "\(what): \(message)")
    }
}
