internal import ZeroTrustCrypto

/// Random access to an envelope file's plaintext: reads and verifies only the segments that hold
/// the requested bytes.
///
/// The plaintext length is derived from the file size; a range that touches the final segment
/// opens it as the final segment, so a file cut at a segment boundary fails there. Bytes of
/// earlier segments are authentic whatever follows them.
///
/// ```swift
/// let reader = try await EnvelopeRangeReader(path: "model.zte", kms: kms)
/// let tensor = try reader.read(4096..<8192)
/// ```
///
/// Not `Sendable`: one reader per task.
public final class EnvelopeRangeReader {
    /// The header.
    public let header: EnvelopeHeader
    /// The plaintext length.
    public let plaintextByteCount: UInt64
    private let fd: Int32
    private let ownsDescriptor: Bool
    private let path: String
    private let decryptor: EnvelopeDecryptor
    private let segmentCount: UInt64
    private let sealed: SegmentBuffer

    /// Opens the envelope at `path`, unwraps its data key with `kms` and checks the key
    /// commitment (and the context against `expectedContext`, when given).
    public convenience init(path: String, kms: some KeyManagementService, expectedContext: EncryptionContext? = nil) async throws {
        let fd = try FileDescriptorIO.openForReading(path)
        do {
            let header = try EnvelopeFile.readHeader(fd: fd, path: path)
            try Envelope.checkContext(header, expected: expectedContext)
            let dataKey = try await kms.unwrap(header.wrappedKey, context: header.context)
            try self.init(fd: fd, path: path, header: header, dataKey: dataKey, ownsDescriptor: true)
        } catch {
            FileDescriptorIO.close(fd)
            throw error
        }
    }

    init(fd: Int32, path: String, header: EnvelopeHeader, dataKey: SymmetricKey, ownsDescriptor: Bool = false) throws {
        self.fd = fd
        self.path = path
        self.header = header
        self.ownsDescriptor = ownsDescriptor
        decryptor = try EnvelopeDecryptor(header: header, dataKey: dataKey)
        let size = try FileDescriptorIO.size(fd, path: path)
        guard size >= UInt64(header.byteCount) else {
            throw EnvelopeError(code: .truncated, message: "\(path) is shorter than its header")
        }
        let layout = try EnvelopeDecryptor.layout(bodyByteCount: size - UInt64(header.byteCount), segmentSize: header.segmentSize)
        segmentCount = layout.segmentCount
        plaintextByteCount = layout.plaintextByteCount
        sealed = SegmentBuffer(capacity: header.segmentSize + SegmentCipher.tagByteCount)
    }

    deinit {
        if ownsDescriptor { FileDescriptorIO.close(fd) }
    }

    /// The plaintext bytes in `range`, which must lie within ``plaintextByteCount``.
    public func read(_ range: Range<UInt64>) throws -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(Int(range.count))
        try read(range) { result.append(contentsOf: $0) }
        return result
    }

    /// Passes the plaintext bytes in `range` to `output`, one verified segment's worth at a time.
    public func read(_ range: Range<UInt64>, output: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard range.upperBound <= plaintextByteCount else {
            throw EnvelopeError(code: .rangeOutOfBounds,
                                message: "range \(range.lowerBound)..<\(range.upperBound) exceeds the plaintext length \(plaintextByteCount) of \(path)")
        }
        guard !range.isEmpty else { return }
        let size = UInt64(header.segmentSize)
        let sealedSize = size + UInt64(SegmentCipher.tagByteCount)
        for index in (range.lowerBound / size)...((range.upperBound - 1) / size) {
            let last = index == segmentCount - 1
            let start = UInt64(header.byteCount) + index * sealedSize
            let plaintextCount = last ? Int(plaintextByteCount - index * size) : header.segmentSize
            let sealedCount = plaintextCount + SegmentCipher.tagByteCount
            try FileDescriptorIO.read(fd, at: start, into: UnsafeMutableRawBufferPointer(rebasing: sealed.memory[..<sealedCount]), path: path)
            sealed.count = sealedCount
            let plaintext = UnsafeMutableRawBufferPointer(rebasing: sealed.memory[..<plaintextCount])
            // Opened in place: the segment buffer now holds verified plaintext (or zeros on failure).
            try decryptor.open(sealed.contents, index: UInt32(index), last: last, into: plaintext)
            let segmentStart = index * size
            let from = Int(max(range.lowerBound, segmentStart) - segmentStart)
            let to = Int(min(range.upperBound, segmentStart + UInt64(plaintextCount)) - segmentStart)
            try output(UnsafeRawBufferPointer(rebasing: plaintext[from..<to]))
        }
    }
}
