/// What a ``ChainedLogWriter`` needs to continue an existing log, read in fixed-size chunks so
/// that reopening a large log does not load it: the header line, the last complete line, the size
/// of the complete lines, and an incomplete final line left by a crash.
struct ChainedLogTail {
    /// The first line (record 0), when complete.
    private(set) var header: [UInt8]?
    /// The last complete line.
    private(set) var last: [UInt8]?
    /// How many complete lines the file holds.
    private(set) var lineCount = 0
    /// The byte count of the complete lines: where a torn fragment starts.
    private(set) var intactSize = 0
    /// The bytes after the last LF, when the file does not end with one.
    private(set) var fragment: [UInt8]?

    /// Reads the log at `path`; nil when it is missing or empty.
    init?(path: String) throws {
        guard var reader = try LogLineReader(path: path) else { return nil }
        while let line = try reader.next() {
            guard line.isTerminated else {
                fragment = Array(line.bytes)
                break
            }
            if lineCount == 0 { header = Array(line.bytes) }
            last = Array(line.bytes)
            lineCount += 1
            intactSize = line.offset + line.bytes.count + 1
        }
        if lineCount == 0 && fragment == nil { return nil }
    }

    /// The whole file's size.
    var size: Int { intactSize + (fragment?.count ?? 0) }
}
