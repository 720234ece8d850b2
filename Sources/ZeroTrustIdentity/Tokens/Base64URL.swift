/// Strict base64url without padding (RFC 7515 §2, RFC 4648 §5) for token segments: no `=`, no `+`
/// or `/`, no whitespace, and the unused low bits of the last character must be zero, so every
/// byte string has exactly one accepted encoding. Not for secrets (not constant-time); keys go
/// through ZeroTrustCrypto's libsodium codec.
enum Base64URL {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    static func encode(_ bytes: some Collection<UInt8>) -> String {
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count * 4 + 2) / 3)
        var iterator = bytes.makeIterator()
        while let first = iterator.next() {
            let second = iterator.next(), third = iterator.next()
            output.append(alphabet[Int(first >> 2)])
            output.append(alphabet[Int((first & 0x03) << 4 | (second ?? 0) >> 4)])
            if let second {
                output.append(alphabet[Int((second & 0x0F) << 2 | (third ?? 0) >> 6)])
                if let third { output.append(alphabet[Int(third & 0x3F)]) }
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Decodes `input`, or nil when it is not canonical unpadded base64url.
    static func decode(_ input: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        let count = input.count
        guard count % 4 != 1 else { return nil }
        let outputCount = count / 4 * 3 + max(count % 4 - 1, 0)
        var valid = true
        let output = [UInt8](unsafeUninitializedCapacity: outputCount) { out, written in
            written = 0
            guard var source = input.baseAddress, var destination = out.baseAddress else { return }
            // Whole quanta: four characters to three bytes. Invalid characters map to 0xFF, so OR-ing
            // the four values and testing the top bits detects any of them.
            for _ in 0..<(count / 4) {
                let a = sextet(source[0]), b = sextet(source[1]), c = sextet(source[2]), d = sextet(source[3])
                guard (a | b | c | d) & 0xC0 == 0 else {
                    valid = false
                    return
                }
                let quantum = UInt32(a) << 18 | UInt32(b) << 12 | UInt32(c) << 6 | UInt32(d)
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
                guard (a | b) & 0xC0 == 0, b & 0x0F == 0 else {
                    valid = false
                    return
                }
                destination[0] = a << 2 | b >> 4
            case 3:
                let a = sextet(source[0]), b = sextet(source[1]), c = sextet(source[2])
                guard (a | b | c) & 0xC0 == 0, c & 0x03 == 0 else {
                    valid = false
                    return
                }
                destination[0] = a << 2 | b >> 4
                destination[1] = b << 4 | c >> 2
            default: break
            }
            written = outputCount
        }
        return valid ? output : nil
    }

    /// The 6-bit value of a base64url character, or 0xFF when it is not one.
    @inline(__always)
    private static func sextet(_ c: UInt8) -> UInt8 {
        switch c {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): c &- UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): c &- UInt8(ascii: "a") &+ 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c &- UInt8(ascii: "0") &+ 52
        case UInt8(ascii: "-"): 62
        case UInt8(ascii: "_"): 63
        default: 0xFF
        }
    }

    static func decode(_ input: ArraySlice<UInt8>) -> [UInt8]? {
        input.withUnsafeBufferPointer { decode($0) }
    }

    static func decode(_ text: String) -> [UInt8]? { decode(ArraySlice(text.utf8)) }
}
