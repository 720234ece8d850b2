import Foundation

/// Appends compact JSON to a byte buffer without intermediate strings: the encoders' hot path.
/// Callers write keys in a fixed order, so output is deterministic (the chain hashes these bytes).
///
/// The buffer is heap storage the writer owns, written through a pointer: each key or value
/// checks the capacity once and then stores its bytes. (Appending to an `Array` checked
/// uniqueness and capacity for every quote, name and comma; that was most of the time it took
/// to encode an event.) Non-copyable, so the storage has exactly one owner, which frees it.
/// ``withStackBuffer(_:)`` lends one that starts on the stack, for a value encoded and copied
/// out at once.
struct JSONWriter: ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    /// The number of bytes written.
    private(set) var count = 0
    private var needsComma = false
    /// Whether `base` is heap storage this writer frees (false while on a lent stack buffer).
    private var ownsStorage = true

    init(reservingCapacity capacity: Int) {
        self.capacity = max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    private init(stack buffer: UnsafeMutableBufferPointer<UInt8>) {
        if let start = buffer.baseAddress, buffer.count > 0 {
            base = start
            capacity = buffer.count
            ownsStorage = false
        } else {
            capacity = 16
            base = .allocate(capacity: capacity)
        }
    }

    deinit { if ownsStorage { base.deallocate() } }

    /// Bytes a stack-lent writer holds before it moves to the heap: more than one access event's
    /// JSON, and no more than `withUnsafeTemporaryAllocation` places on the stack without asking
    /// (above 1 KiB the Linux runtime answers "not safe", and it allocates on the heap).
    static let stackCapacity = 1024

    /// Runs `body` with an empty writer over a stack buffer (heap storage only if it outgrows
    /// it): encoding one value to copy it out (``bytes``) then costs that copy's allocation only.
    /// The writer must not outlive `body`.
    static func withStackBuffer<R>(_ body: (inout JSONWriter) throws -> R) rethrows -> R {
        try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: stackCapacity) { buffer in
            var writer = JSONWriter(stack: buffer)
            return try body(&writer)
        }
    }

    /// A copy of the bytes written.
    var bytes: [UInt8] { Array(UnsafeBufferPointer(start: base, count: count)) }

    /// Whether nothing has been written.
    var isEmpty: Bool { count == 0 }

    /// Lends the bytes written; they must not be kept past `body`.
    func withBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try body(UnsafeRawBufferPointer(start: base, count: count))
    }

    /// Empties the buffer, keeping its capacity (the chained writer reuses one writer).
    mutating func reset() { removeBytes(from: 0) }

    /// Drops the bytes from offset `start` on (a record that could not be completed).
    mutating func removeBytes(from start: Int) {
        count = min(max(0, start), count)
        needsComma = false
    }

    /// Ends a line (JSON lines: one object per line); the next object starts without a comma.
    mutating func endLine() { verbatim(UInt8(ascii: "\n")); needsComma = false }

    mutating func beginObject() { opening(UInt8(ascii: "{")) }
    mutating func endObject() { verbatim(UInt8(ascii: "}")); needsComma = true }
    mutating func beginArray() { opening(UInt8(ascii: "[")) }
    mutating func endArray() { verbatim(UInt8(ascii: "]")); needsComma = true }

    mutating func key(_ name: StaticString) {
        name.withUTF8Buffer { name in
            reserve(name.count + 4)
            separate()
            store(UInt8(ascii: "\""))
            store(name)
            store(UInt8(ascii: "\""))
            store(UInt8(ascii: ":"))
        }
        needsComma = false
    }

    mutating func dynamicKey(_ name: String) {
        separate()
        appendQuoted(name)
        verbatim(UInt8(ascii: ":"))
        needsComma = false
    }

    mutating func string(_ value: String) { separate(); appendQuoted(value); needsComma = true }

    /// A string value given as its UTF-8 bytes (such as a hash already in hex).
    mutating func string(utf8: [UInt8]) {
        separate()
        utf8.withUnsafeBufferPointer { appendQuoted(utf8: $0) }
        needsComma = true
    }

    mutating func int<T: BinaryInteger>(_ value: T) {
        guard let magnitude = UInt64(exactly: value.magnitude) else {
            // Wider than 64 bits: not written by this module's events, but still correct.
            separate()
            verbatim(String(value).utf8)
            needsComma = true
            return
        }
        reserve(22)
        separate()
        if value < 0 { store(UInt8(ascii: "-")) }
        count += Self.writeDecimal(magnitude, to: base + count)
        needsComma = true
    }

    /// Writes `value` in decimal at `output` (room for 20 digits); returns the digit count.
    private static func writeDecimal(_ value: UInt64, to output: UnsafeMutablePointer<UInt8>) -> Int {
        var digitCount = 1
        var rest = value / 10
        while rest > 0 { digitCount += 1; rest /= 10 }
        var remaining = value
        for index in stride(from: digitCount - 1, through: 0, by: -1) {
            output[index] = 0x30 &+ UInt8(truncatingIfNeeded: remaining % 10)
            remaining /= 10
        }
        return digitCount
    }

    mutating func bool(_ value: Bool) { separate(); verbatim((value ? "true" : "false").utf8); needsComma = true }
    mutating func null() { separate(); verbatim("null".utf8); needsComma = true }

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
        reserve(39)
        separate()
        let digits: StaticString = "0123456789abcdef"
        digits.withUTF8Buffer { hex in
            withUnsafeBytes(of: id.uuid) { raw in
                store(UInt8(ascii: "\""))
                for index in 0..<16 {
                    if index == 4 || index == 6 || index == 8 || index == 10 { store(UInt8(ascii: "-")) }
                    store(hex[Int(raw[index] >> 4)])
                    store(hex[Int(raw[index] & 0x0f)])
                }
                store(UInt8(ascii: "\""))
            }
        }
        needsComma = true
    }

    /// An RFC 3339 UTC time with microseconds, quoted, written digit by digit.
    mutating func timestamp(_ date: Date) {
        reserve(RFC3339.byteCount + 3)
        separate()
        store(UInt8(ascii: "\""))
        RFC3339.format(date, into: UnsafeMutableBufferPointer(start: base + count, count: RFC3339.byteCount))
        count += RFC3339.byteCount
        store(UInt8(ascii: "\""))
        needsComma = true
    }

    /// Bytes written as they are: literals such as `true` and `null`, and the digits of an
    /// integer wider than 64 bits.
    private mutating func verbatim(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        reserve(bytes.count)
        UnsafeMutableRawPointer(base + count).copyMemory(from: source, byteCount: bytes.count)
        count += bytes.count
    }

    /// Bytes written as they are, from any collection.
    private mutating func verbatim(_ bytes: some Collection<UInt8>) {
        if bytes.withContiguousStorageIfAvailable({ verbatim(UnsafeRawBufferPointer($0)) }) == nil {
            Array(bytes).withUnsafeBytes { verbatim($0) }
        }
    }

    // MARK: - Storage

    /// A comma when a value or member precedes, then `byte`; the next item needs no comma.
    private mutating func opening(_ byte: UInt8) {
        reserve(2)
        separate()
        store(byte)
        needsComma = false
    }

    @inline(__always)
    private mutating func verbatim(_ byte: UInt8) {
        reserve(1)
        store(byte)
    }

    @inline(__always)
    private mutating func separate() {
        if needsComma { verbatim(UInt8(ascii: ",")) }
    }

    /// Makes room for `extra` more bytes: after it, that many `store`s need no further check.
    @inline(__always)
    private mutating func reserve(_ extra: Int) {
        if capacity - count < extra { grow(toHold: extra) }
    }

    private mutating func grow(toHold extra: Int) {
        let newCapacity = max(capacity * 2, count + extra)
        let storage = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        storage.initialize(from: base, count: count)
        if ownsStorage { base.deallocate() }
        base = storage
        capacity = newCapacity
        ownsStorage = true
    }

    /// Stores one byte; the caller has reserved room for it.
    @inline(__always)
    private mutating func store(_ byte: UInt8) {
        base[count] = byte
        count += 1
    }

    /// Stores bytes; the caller has reserved room for them.
    @inline(__always)
    private mutating func store(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress else { return }
        (base + count).initialize(from: source, count: bytes.count)
        count += bytes.count
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// RFC 8259 string escaping: quote, backslash and control characters; everything else verbatim.
    private mutating func appendQuoted(_ value: String) {
        let written: Void? = value.utf8.withContiguousStorageIfAvailable { appendQuoted(utf8: $0) }
        if written == nil {
            var contiguous = value
            contiguous.withUTF8 { appendQuoted(utf8: $0) }
        }
    }

    private mutating func appendQuoted(utf8: UnsafeBufferPointer<UInt8>) {
        var start = 0
        var index = Self.firstByteToEscape(in: utf8, from: 0)
        // Most strings need no escaping: one check of room for all of it.
        reserve(index + 2)
        store(UInt8(ascii: "\""))
        while index < utf8.count {
            store(UnsafeBufferPointer(rebasing: utf8[start..<index]))
            let byte = utf8[index]
            reserve(6)
            switch byte {
            case 0x22: store(0x5c); store(0x22)
            case 0x5c: store(0x5c); store(0x5c)
            case 0x0a: store(0x5c); store(UInt8(ascii: "n"))
            case 0x0d: store(0x5c); store(UInt8(ascii: "r"))
            case 0x09: store(0x5c); store(UInt8(ascii: "t"))
            default:
                store(0x5c); store(UInt8(ascii: "u")); store(0x30); store(0x30)
                store(Self.hexDigits[Int(byte >> 4)]); store(Self.hexDigits[Int(byte & 0xf)])
            }
            start = index + 1
            index = Self.firstByteToEscape(in: utf8, from: start)
            reserve(index - start + 1)
        }
        store(UnsafeBufferPointer(rebasing: utf8[start...]))
        store(UInt8(ascii: "\""))
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
