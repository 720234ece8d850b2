import Foundation
import ZeroTrustCrypto

/// The byte layout of one log line (Documentation/AuditEvents.md, "Log file format"):
///
///     {"n":<N>,"prev":"<64 hex>",<"log":{header}|"event":{event}>,"hash":"<64 hex>"}\n
///
/// The hash covers the *body*: every byte before `,"hash":"`. Its suffix has a fixed length,
/// so the body is found without parsing.
enum ChainRecord {
    static let hashPrefix = Array(#","hash":""#.utf8)
    /// `,"hash":"` + 64 hex + `"}`.
    static let suffixByteCount = hashPrefix.count + 64 + 2
    static let zeroHash = [UInt8](repeating: 0, count: ChainHasher.hashByteCount)
    static let formatName = "zt-audit-log"
    static let formatVersion = 1

    /// A parsed, not yet verified, line.
    struct Parsed {
        let number: Int
        let previous: [UInt8]
        let hash: [UInt8]
        let body: ArraySlice<UInt8>
        let object: [String: Any]
    }

    /// Splits and parses one line (without its newline); nil when it is not in the format.
    static func parse(_ line: ArraySlice<UInt8>) -> Parsed? {
        guard line.count > suffixByteCount else { return nil }
        let suffixStart = line.endIndex - suffixByteCount
        guard line[suffixStart..<(suffixStart + hashPrefix.count)].elementsEqual(hashPrefix),
              line[line.endIndex - 2] == UInt8(ascii: "\""), line[line.endIndex - 1] == UInt8(ascii: "}"),
              let hash = Hex.decode(String(decoding: line[(suffixStart + hashPrefix.count)..<(line.endIndex - 2)], as: UTF8.self))
        else { return nil }
        guard let object = (try? JSONSerialization.jsonObject(with: Data(line), options: [])) as? [String: Any],
              let number = object["n"] as? Int, number >= 0,
              let previousText = object["prev"] as? String, let previous = Hex.decode(previousText),
              previous.count == ChainHasher.hashByteCount, object["hash"] as? String != nil
        else { return nil }
        // The body must start exactly as the writer writes it, so no bytes escape the hash.
        let expectedStart = Array(#"{"n":\#(number),"prev":"\#(previousText)","#.utf8)
        guard line.starts(with: expectedStart) else { return nil }
        return Parsed(number: number, previous: previous, hash: hash, body: line[line.startIndex..<suffixStart], object: object)
    }

    /// Opens a line: `{"n":N,"prev":"<previousHex>"` (the payload's key follows after a comma).
    static func writeBodyPrefix(number: Int, previousHex: [UInt8], into writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("n", number)
        writer.key("prev")
        writer.string(utf8: previousHex)
    }

    /// Closes a line after its body: `,"hash":"<hashHex>"}` and the newline.
    static func writeSuffix(hashHex: [UInt8], into writer: inout JSONWriter) {
        writer.key("hash")
        writer.string(utf8: hashHex)
        writer.endObject()
        writer.endLine()
    }

    /// Overwrites `hex` with the lowercase hex digits of `bytes` (`hex` holds twice as many bytes),
    /// in place: the writer keeps the head's hex, which is both this record's hash and the next
    /// record's `prev`.
    static func writeHex(_ bytes: [UInt8], into hex: inout [UInt8]) {
        let digits: StaticString = "0123456789abcdef"
        digits.withUTF8Buffer { d in
            bytes.withUnsafeBufferPointer { input in
                hex.withUnsafeMutableBufferPointer { output in
                    for index in 0..<min(input.count, output.count / 2) {
                        output[2 * index] = d[Int(input[index] >> 4)]
                        output[2 * index + 1] = d[Int(input[index] & 0x0f)]
                    }
                }
            }
        }
    }

    /// Writes the header record's payload, `"log":{…}`, into `writer`.
    static func writeHeaderPayload(logID: UUID, kind: ChainHasher.Kind, created: Date, into writer: inout JSONWriter) {
        writer.key("log")
        writer.beginObject()
        writer.field("format", formatName)
        writer.field("v", formatVersion)
        writer.field("id", logID.uuidString.lowercased())
        writer.field("chain", kind.rawValue)
        writer.field("created", RFC3339.format(created))
        writer.endObject()
    }
}
