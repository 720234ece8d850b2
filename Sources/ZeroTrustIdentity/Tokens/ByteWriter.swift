/// Bytes appended through a pointer, into a stack buffer first and heap storage only when that
/// fills. Token JSON is written a few bytes at a time (a quote, a name, a colon), and appending to
/// an `Array` checks uniqueness and capacity on each of those pieces, and allocates the array.
///
/// Non-copyable and only lent out by ``with(_:)``, so the writer itself cannot outlive the stack
/// buffer it writes to; ``bytes`` can, and must not be kept past the closure.
struct ByteWriter: ~Copyable {
    private var base: UnsafeMutableRawPointer
    private var capacity: Int
    /// The number of bytes written.
    private(set) var count = 0
    /// Whether `base` is heap storage this writer must free (false while on the stack buffer).
    private var ownsStorage = false

    /// Bytes a writer holds on the stack: more than a typical token's header and payload JSON.
    static let stackCapacity = 1024

    private init(_ buffer: UnsafeMutableRawBufferPointer) {
        if let start = buffer.baseAddress {
            base = start
            capacity = buffer.count
        } else {
            // Not expected (the buffer is never empty), but then heap storage from the start.
            base = UnsafeMutableRawPointer.allocate(byteCount: Self.stackCapacity, alignment: 1)
            capacity = Self.stackCapacity
            ownsStorage = true
        }
    }

    deinit {
        if ownsStorage { base.deallocate() }
    }

    /// Runs `body` with an empty writer over a stack buffer.
    static func with<R, E: Error>(_ body: (inout ByteWriter) throws(E) -> R) throws(E) -> R {
        try withUnsafeTemporaryAllocation(byteCount: stackCapacity, alignment: 1) { (buffer) throws(E) in
            var writer = ByteWriter(buffer)
            return try body(&writer)
        }
    }

    /// The bytes written so far; valid only inside ``with(_:)``, and only until the next append.
    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    mutating func append(_ byte: UInt8) {
        if count == capacity { grow(toHold: 1)?.deallocate() }
        base.storeBytes(of: byte, toByteOffset: count, as: UInt8.self)
        count += 1
    }

    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        // Old heap storage is freed only after the copy: `bytes` may point into it.
        let retired = capacity - count < bytes.count ? grow(toHold: bytes.count) : nil
        (base + count).copyMemory(from: source, byteCount: bytes.count)
        count += bytes.count
        retired?.deallocate()
    }

    /// Appends a literal's UTF-8 bytes (the JSON punctuation and names written by this module).
    mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { append(UnsafeRawBufferPointer($0)) }
    }

    /// Moves to heap storage with room for `extra` more bytes (at least doubling). Returns the
    /// previous storage when it was heap storage, for the caller to free once done reading it.
    private mutating func grow(toHold extra: Int) -> UnsafeMutableRawPointer? {
        let newCapacity = max(capacity * 2, count + extra)
        let storage = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 1)
        storage.copyMemory(from: base, byteCount: count)
        let retired = ownsStorage ? base : nil
        base = storage
        capacity = newCapacity
        ownsStorage = true
        return retired
    }
}
