/// Compact JSON output with sorted object members, so the same value always encodes the same way.
enum JSONWriter {
    static func write(_ value: JSONValue, into output: inout ByteWriter) {
        switch value {
        case .null: output.append("null")
        case .bool(let flag): output.append(flag ? "true" : "false")
        case .integer(let number): writeInteger(number, into: &output)
        case .double(let number):
            if number.isFinite, number == number.rounded(), abs(number) < 9.0e15 {
                writeInteger(Int64(number), into: &output)
            } else {
                var text = number.isFinite ? "\(number)" : "null"
                text.withUTF8 { output.append(UnsafeRawBufferPointer($0)) }
            }
        case .string(let text): writeString(text, into: &output)
        case .array(let elements):
            output.append(UInt8(ascii: "["))
            for (position, element) in elements.enumerated() {
                if position > 0 { output.append(UInt8(ascii: ",")) }
                write(element, into: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let members):
            output.append(UInt8(ascii: "{"))
            for (position, name) in members.keys.sorted().enumerated() {
                if position > 0 { output.append(UInt8(ascii: ",")) }
                writeString(name, into: &output)
                output.append(UInt8(ascii: ":"))
                if let member = members[name] { write(member, into: &output) }
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    /// Decimal digits without building a `String` (every token carries `iat` and `exp`).
    static func writeInteger(_ number: Int64, into output: inout ByteWriter) {
        if number < 0 { output.append(UInt8(ascii: "-")) }
        var magnitude = number.magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: enough for 20 digits
        withUnsafeMutableBytes(of: &digits) { buffer in
            var index = buffer.count
            repeat {
                index -= 1
                buffer[index] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            output.append(UnsafeRawBufferPointer(rebasing: buffer[index...]))
        }
    }

    static func writeString(_ text: String, into output: inout ByteWriter) {
        output.append(UInt8(ascii: "\""))
        // Most strings need no escape: check and copy their bytes in one go.
        // (Read in place: `withUTF8` would need a mutable copy of the string.)
        let plain = text.utf8.withContiguousStorageIfAvailable { bytes in
            guard !bytes.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else { return false }
            output.append(UnsafeRawBufferPointer(bytes))
            return true
        }
        if plain == true {
            output.append(UInt8(ascii: "\""))
            return
        }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): output.append("\\\"")
            case UInt8(ascii: "\\"): output.append("\\\\")
            case 0x0A: output.append("\\n")
            case 0x0D: output.append("\\r")
            case 0x09: output.append("\\t")
            case 0..<0x20:
                let digits = Array("0123456789abcdef".utf8)
                output.append("\\u00")
                output.append(digits[Int(byte >> 4)])
                output.append(digits[Int(byte & 0xF)])
            default: output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }
}
