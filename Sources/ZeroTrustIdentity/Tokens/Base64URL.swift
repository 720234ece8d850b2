/// Strict base64url without padding (RFC 7515 §2, RFC 4648 §5) for token segments: no `=`, no `+`
/// or `/`, no whitespace, and the unused low bits of the last character must be zero, so every
/// byte string has exactly one accepted encoding. Not for secrets (not constant-time); keys go
/// through ZeroTrustCrypto's libsodium codec.
enum Base64URL {
    static func encode(_ bytes: some Collection<UInt8>) -> String {
        if let encoded = bytes.withContiguousStorageIfAvailable({ encodeToString(UnsafeRawBufferPointer($0)) }) {
            return encoded
        }
        return Array(bytes).withUnsafeBytes { encodeToString($0) }
    }

    /// The encoding of `input`, written straight into the string's storage.
    static func encodeToString(_ input: UnsafeRawBufferPointer) -> String {
        String(unsafeUninitializedCapacity: encodedCount(input.count)) { buffer in
            guard let base = buffer.baseAddress else { return 0 }
            return encode(input, to: base)
        }
    }

    /// Appends the encoding of `input` to `output`: one capacity reservation, then written in place
    /// (tokens are encoded on every issue).
    static func encode(_ input: UnsafeRawBufferPointer, appendingTo output: inout [UInt8]) {
        let encodedCount = encodedCount(input.count)
        guard encodedCount > 0 else { return }
        let start = output.count
        // Grow once, then write through a pointer: no capacity check per character.
        output.append(contentsOf: repeatElement(0, count: encodedCount))
        output.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            encode(input, to: base + start)
        }
    }

    /// The encoded length of `count` bytes (no padding).
    static func encodedCount(_ count: Int) -> Int { (count * 4 + 2) / 3 }

    /// Writes the encoding of `input` at `out`, which must have room for `encodedCount(input.count)`
    /// characters; returns that count. Three bytes to four characters per step.
    @discardableResult
    static func encode(_ input: UnsafeRawBufferPointer, to out: UnsafeMutablePointer<UInt8>) -> Int {
        let count = input.count
        let alphabet = Self.alphabet.utf8Start
        var out = out
        var index = 0
        while index + 3 <= count {
            let quantum = UInt32(input[index]) << 16 | UInt32(input[index + 1]) << 8 | UInt32(input[index + 2])
            out[0] = alphabet[Int(quantum >> 18)]
            out[1] = alphabet[Int(quantum >> 12 & 0x3F)]
            out[2] = alphabet[Int(quantum >> 6 & 0x3F)]
            out[3] = alphabet[Int(quantum & 0x3F)]
            out += 4
            index += 3
        }
        switch count - index {
        case 1:
            let first = input[index]
            out[0] = alphabet[Int(first >> 2)]
            out[1] = alphabet[Int((first & 0x03) << 4)]
        case 2:
            let first = input[index], second = input[index + 1]
            out[0] = alphabet[Int(first >> 2)]
            out[1] = alphabet[Int((first & 0x03) << 4 | second >> 4)]
            out[2] = alphabet[Int((second & 0x0F) << 2)]
        default: break
        }
        return encodedCount(count)
    }

    private static var alphabet: StaticString { "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_" }

    /// The decoded length of `count` characters, or nil when no valid encoding has that length.
    static func decodedCount(_ count: Int) -> Int? {
        count % 4 == 1 ? nil : count / 4 * 3 + max(count % 4 - 1, 0)
    }

    /// Decodes `input`, or nil when it is not canonical unpadded base64url.
    static func decode(_ input: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        guard let outputCount = decodedCount(input.count) else { return nil }
        var valid = false
        let output = [UInt8](unsafeUninitializedCapacity: outputCount) { out, written in
            valid = decode(input, into: out)
            written = valid ? outputCount : 0
        }
        return valid ? output : nil
    }

    /// Decodes `input` into `output`, which must hold exactly `decodedCount(input.count)` bytes.
    /// Returns false when the input is not canonical unpadded base64url.
    static func decode(_ input: UnsafeBufferPointer<UInt8>, into output: UnsafeMutableBufferPointer<UInt8>) -> Bool {
        let count = input.count
        guard decodedCount(count) == output.count else { return false }
        guard var source = input.baseAddress, var destination = output.baseAddress else { return count == 0 }
        // Whole quanta: four characters to three bytes, one table lookup per character, each
        // giving its sextet already in place, so the four OR together into the 24 output bits.
        // An invalid character sets a bit above them, which survives the ORs.
        let table = quantumTable
        for _ in 0..<(count / 4) {
            let quantum = table[Int(source[0])] | table[256 + Int(source[1])] | table[512 + Int(source[2])] | table[768 + Int(source[3])]
            guard quantum & invalidQuantum == 0 else { return false }
            destination[0] = UInt8(truncatingIfNeeded: quantum >> 16)
            destination[1] = UInt8(truncatingIfNeeded: quantum >> 8)
            destination[2] = UInt8(truncatingIfNeeded: quantum)
            source += 4
            destination += 3
        }
        // The tail: 2 or 3 characters, whose unused low bits must be zero (canonical form).
        switch count % 4 {
        case 2:
            let a = sextet(source[0]), b = sextet(source[1])
            guard (a | b) & 0xC0 == 0, b & 0x0F == 0 else { return false }
            destination[0] = a << 2 | b >> 4
        case 3:
            let a = sextet(source[0]), b = sextet(source[1]), c = sextet(source[2])
            guard (a | b | c) & 0xC0 == 0, c & 0x03 == 0 else { return false }
            destination[0] = a << 2 | b >> 4
            destination[1] = b << 4 | c >> 2
        default: break
        }
        return true
    }

    /// Marks an invalid character in `quantumTable`: above the 24 bits a quantum decodes to.
    private static let invalidQuantum: UInt32 = 1 << 24

    /// Four tables of 256 entries, one per position in a four-character quantum: a character's
    /// sextet shifted to that position's place in the 24 bits, or `invalidQuantum`. Built once and
    /// never freed (4 KiB); immutable after that, hence safe to share.
    nonisolated(unsafe) private static let quantumTable: UnsafePointer<UInt32> = {
        let table = UnsafeMutablePointer<UInt32>.allocate(capacity: 4 * 256)
        table.initialize(repeating: invalidQuantum, count: 4 * 256)
        for byte in 0...255 {
            let value = sextet(UInt8(byte))
            guard value & 0xC0 == 0 else { continue }
            for position in 0..<4 {
                table[position * 256 + byte] = UInt32(value) << (18 - 6 * position)
            }
        }
        return UnsafePointer(table)
    }()

    /// The 6-bit value of a base64url character, or 0xFF when it is not one (for a segment's last
    /// two or three characters, and to build `quantumTable`).
    @inline(__always)
    private static func sextet(_ c: UInt8) -> UInt8 {
        decodeTable.utf8Start[Int(c)] &- 1
    }

    /// For each byte value, its sextet plus one, or 0 when it is not in the base64url alphabet.
    private static var decodeTable: StaticString {
        "\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{3F}\u{00}\u{00}\u{35}\u{36}\u{37}\u{38}\u{39}\u{3A}\u{3B}\u{3C}\u{3D}\u{3E}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{01}\u{02}\u{03}\u{04}\u{05}\u{06}\u{07}\u{08}\u{09}\u{0A}\u{0B}\u{0C}\u{0D}\u{0E}\u{0F}\u{10}\u{11}\u{12}\u{13}\u{14}\u{15}\u{16}\u{17}\u{18}\u{19}\u{1A}\u{00}\u{00}\u{00}\u{00}\u{40}\u{00}\u{1B}\u{1C}\u{1D}\u{1E}\u{1F}\u{20}\u{21}\u{22}\u{23}\u{24}\u{25}\u{26}\u{27}\u{28}\u{29}\u{2A}\u{2B}\u{2C}\u{2D}\u{2E}\u{2F}\u{30}\u{31}\u{32}\u{33}\u{34}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}"
    }

    static func decode(_ input: ArraySlice<UInt8>) -> [UInt8]? {
        input.withUnsafeBufferPointer { decode($0) }
    }

    static func decode(_ text: String) -> [UInt8]? { decode(ArraySlice(text.utf8)) }
}
