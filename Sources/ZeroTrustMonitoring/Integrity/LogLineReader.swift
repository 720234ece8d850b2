#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a log or checkpoint file one LF-terminated line at a time through a fixed-size chunk,
/// so memory stays at one chunk plus the longest line, however large the file is.
///
/// A line split across chunks is carried over and completed by the next read. The last line is
/// returned with ``Line/isTerminated`` false when the file does not end with LF (a torn tail);
/// callers decide what that means. Lines longer than ``maximumLineLength`` are refused rather than
/// buffered without bound.
struct LogLineReader {
    /// One line, without its LF.
    struct Line {
        let bytes: ArraySlice<UInt8>
        /// Where the line starts in the file.
        let offset: Int
        /// False for a final line with no LF after it.
        let isTerminated: Bool
    }

    /// The chunk size when none is given: large enough that a read costs little per record.
    static let defaultChunkSize = 64 * 1024
    /// A writer never produces lines near this long (an event is a few hundred bytes).
    static let maximumLineLength = 16 * 1024 * 1024

    private enum Source {
        case file(FileDescriptor)
        case memory([UInt8], position: Int)
    }

    private var source: Source
    private let chunkSize: Int
    private let name: String
    /// Unconsumed bytes are `buffer[start...]`; `buffer[start..<scanned]` holds no LF.
    private var buffer: [UInt8] = []
    private var start = 0
    private var scanned = 0
    /// The file offset of `buffer[start]`.
    private var offset = 0
    private var atEnd = false

    /// A reader over the file at `path`; nil when the file does not exist.
    init?(path: String, chunkSize: Int = defaultChunkSize) throws {
        guard let file = try FileDescriptor(readingFrom: path) else { return nil }
        self.init(source: .file(file), chunkSize: chunkSize, name: path)
    }

    /// A reader over bytes already in memory (chunked the same way, for one code path).
    init(bytes: [UInt8], chunkSize: Int = defaultChunkSize, name: String) {
        self.init(source: .memory(bytes, position: 0), chunkSize: chunkSize, name: name)
    }

    private init(source: Source, chunkSize: Int, name: String) {
        self.source = source
        self.chunkSize = max(1, chunkSize)
        self.name = name
        buffer.reserveCapacity(self.chunkSize)
    }

    /// The next line, or nil at the end of the file.
    mutating func next() throws -> Line? {
        while true {
            if let newline = findNewline() {
                let line = Line(bytes: buffer[start..<newline], offset: offset, isTerminated: true)
                offset += newline + 1 - start
                start = newline + 1
                scanned = start
                return line
            }
            if atEnd {
                guard start < buffer.count else { return nil }
                let line = Line(bytes: buffer[start...], offset: offset, isTerminated: false)
                offset += buffer.count - start
                start = buffer.count
                return line
            }
            try refill()
        }
    }

    /// The index of the first LF at or after `scanned`, remembering how far the search got so a
    /// long line is not searched again after each read.
    private mutating func findNewline() -> Int? {
        let from = scanned
        let found: Int? = buffer.withUnsafeBufferPointer { bytes in
            guard from < bytes.count, let base = bytes.baseAddress,
                  let hit = memchr(base + from, 0x0A, bytes.count - from) else { return nil }
            return from + UnsafeRawPointer(base + from).distance(to: UnsafeRawPointer(hit))
        }
        if found == nil { scanned = buffer.count }
        return found
    }

    /// Moves the incomplete line to the front and appends one chunk after it.
    private mutating func refill() throws {
        if start > 0 {
            buffer.removeSubrange(0..<start)
            scanned -= start
            start = 0
        }
        guard buffer.count < Self.maximumLineLength else {
            throw AuditError(code: .malformedRecord,
                             message: "\(name): the line at byte offset \(offset) is longer than \(Self.maximumLineLength) bytes",
                             byteOffset: offset)
        }
        let kept = buffer.count
        buffer.append(contentsOf: repeatElement(0, count: chunkSize))
        let count = try buffer.withUnsafeMutableBytes { all in
            try Self.read(from: &source, into: UnsafeMutableRawBufferPointer(rebasing: all[kept...]))
        }
        buffer.removeLast(chunkSize - count)
        if count == 0 { atEnd = true }
    }

    private static func read(from source: inout Source, into output: UnsafeMutableRawBufferPointer) throws -> Int {
        switch source {
        case .file(let file):
            return try file.read(into: output)
        case .memory(let bytes, let position):
            let count = min(output.count, bytes.count - position)
            bytes.withUnsafeBytes { all in
                output.copyMemory(from: UnsafeRawBufferPointer(rebasing: all[position..<(position + count)]))
            }
            source = .memory(bytes, position: position + count)
            return count
        }
    }
}
