public import Foundation
import ZeroTrustCrypto

/// Envelopes as files and file handles, streamed in constant memory (one read buffer of
/// 1 MiB or one segment, whichever is larger, plus one segment buffer).
///
/// Path-based outputs are written to a temporary file beside the destination and renamed into
/// place only when complete; for decryption that means only after the final segment
/// authenticated, so a failed decryption leaves no output file at all.
///
/// ```swift
/// try await EnvelopeFile.encrypt(inputPath: "model.safetensors", outputPath: "model.zte",
///                                keyID: "models", context: ["model": "resnet-50"], kms: kms)
/// try await EnvelopeFile.decrypt(inputPath: "model.zte", outputPath: "model.safetensors", kms: kms)
/// ```
public enum EnvelopeFile {
    /// Progress callbacks receive the number of input bytes processed so far.
    public typealias Progress = (UInt64) -> Void

    /// Encrypts everything readable from `input` into `output` (both left open).
    @discardableResult
    public static func encrypt(from input: FileHandle, to output: FileHandle, keyID: String, context: EncryptionContext = .empty,
                               kms: some KeyManagementService, algorithm: EnvelopeAlgorithm = .aes256GCM,
                               segmentSize: Int = EnvelopeHeader.defaultSegmentSize,
                               progress: Progress? = nil) async throws -> EnvelopeHeader {
        let dataKey = try await kms.generateDataKey(keyID: keyID, context: context)
        let encryptor = try EnvelopeEncryptor(dataKey: dataKey, context: context, algorithm: algorithm, segmentSize: segmentSize)
        try encrypt(fd: input.fileDescriptor, path: "input", encryptor: encryptor, progress: progress) { bytes in
            try FileDescriptorIO.write(output.fileDescriptor, bytes, path: "output")
        }
        return encryptor.header
    }

    /// Encrypts the file at `inputPath` into a new envelope at `outputPath` (written atomically,
    /// mode 0600).
    @discardableResult
    public static func encrypt(inputPath: String, outputPath: String, keyID: String, context: EncryptionContext = .empty,
                               kms: some KeyManagementService, algorithm: EnvelopeAlgorithm = .aes256GCM,
                               segmentSize: Int = EnvelopeHeader.defaultSegmentSize,
                               progress: Progress? = nil) async throws -> EnvelopeHeader {
        let fd = try FileDescriptorIO.openForReading(inputPath)
        defer { FileDescriptorIO.close(fd) }
        let dataKey = try await kms.generateDataKey(keyID: keyID, context: context)
        let encryptor = try EnvelopeEncryptor(dataKey: dataKey, context: context, algorithm: algorithm, segmentSize: segmentSize)
        let output = try AtomicOutputFile(path: outputPath)
        try encrypt(fd: fd, path: inputPath, encryptor: encryptor, progress: progress) { bytes in
            try output.write(bytes)
        }
        try output.commit()
        return encryptor.header
    }

    /// Decrypts the envelope readable from `input` into `output` (both left open). Plaintext is
    /// written segment by segment as each authenticates; when this throws, what was written is
    /// authentic but incomplete and must be discarded.
    @discardableResult
    public static func decrypt(from input: FileHandle, to output: FileHandle, kms: some KeyManagementService,
                               expectedContext: EncryptionContext? = nil, progress: Progress? = nil) async throws -> EnvelopeHeader {
        let fd = input.fileDescriptor
        let header = try readHeader(fd: fd, path: "input")
        try Envelope.checkContext(header, expected: expectedContext)
        let decryptor = try EnvelopeDecryptor(header: header, dataKey: try await kms.unwrap(header.wrappedKey, context: header.context))
        try decrypt(fd: fd, path: "input", decryptor: decryptor, progress: progress) { bytes in
            try FileDescriptorIO.write(output.fileDescriptor, bytes, path: "output")
        }
        return header
    }

    /// Decrypts the envelope at `inputPath` into `outputPath`, or only the plaintext bytes in
    /// `range` (reading and verifying just the segments that hold them). The output appears only
    /// once everything written to it authenticated; on any failure no output file is left.
    @discardableResult
    public static func decrypt(inputPath: String, outputPath: String, kms: some KeyManagementService,
                               expectedContext: EncryptionContext? = nil, range: Range<UInt64>? = nil,
                               progress: Progress? = nil) async throws -> EnvelopeHeader {
        let fd = try FileDescriptorIO.openForReading(inputPath)
        defer { FileDescriptorIO.close(fd) }
        let header = try readHeader(fd: fd, path: inputPath)
        try Envelope.checkContext(header, expected: expectedContext)
        let dataKey = try await kms.unwrap(header.wrappedKey, context: header.context)
        let output = try AtomicOutputFile(path: outputPath)
        if let range {
            let reader = try EnvelopeRangeReader(fd: fd, path: inputPath, header: header, dataKey: dataKey)
            try reader.read(range) { bytes in try output.write(bytes) }
        } else {
            let decryptor = try EnvelopeDecryptor(header: header, dataKey: dataKey)
            try decrypt(fd: fd, path: inputPath, decryptor: decryptor, progress: progress) { bytes in
                try output.write(bytes)
            }
        }
        try output.commit()
        return header
    }

    /// The header of the envelope at `path`, without any key.
    public static func header(atPath path: String) throws -> EnvelopeHeader {
        let fd = try FileDescriptorIO.openForReading(path)
        defer { FileDescriptorIO.close(fd) }
        return try readHeader(fd: fd, path: path)
    }

    /// Re-wraps the data key of the envelope at `path` under the primary version of `keyID`
    /// (by default the key that wrapped it, so after a rotation: its new version). The key
    /// commitment is checked first. Only the header changes: segments are copied byte for byte,
    /// never decrypted, into a temporary file that then atomically replaces `path`.
    @discardableResult
    public static func rewrap(path: String, kms: some KeyManagementService, keyID: String? = nil) async throws -> EnvelopeHeader {
        let fd = try FileDescriptorIO.openForReading(path)
        defer { FileDescriptorIO.close(fd) }
        let header = try readHeader(fd: fd, path: path)
        let dataKey = try await kms.unwrap(header.wrappedKey, context: header.context)
        _ = try EnvelopeKeys.verified(dataKey: dataKey, header: header)
        let wrapped = try await kms.wrap(dataKey, keyID: keyID ?? header.keyReference.keyID, context: header.context)
        let rewrapped = try header.replacingWrappedKey(wrapped)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber
        let output = try AtomicOutputFile(path: path, mode: mode?.uint32Value ?? 0o600)
        try rewrapped.bytes.withUnsafeBytes { bytes in try output.write(bytes) }
        let buffer = SegmentBuffer(capacity: 1 << 20)
        while true {
            let count = try FileDescriptorIO.read(fd, into: buffer.memory, path: path)
            if count == 0 { break }
            try output.write(UnsafeRawBufferPointer(rebasing: buffer.memory[..<count]))
        }
        try output.commit()
        return rewrapped
    }

    static func readHeader(fd: Int32, path: String) throws -> EnvelopeHeader {
        var prefix = [UInt8](repeating: 0, count: EnvelopeHeader.fixedPrefixByteCount)
        let prefixCount = try prefix.withUnsafeMutableBytes { buffer in try FileDescriptorIO.read(fd, into: buffer, path: path) }
        guard prefixCount == prefix.count else {
            throw EnvelopeError(code: .malformedHeader, message: "\(path) holds \(prefixCount) bytes, too few for an envelope header")
        }
        let length = try EnvelopeHeader.declaredByteCount(prefix: prefix)
        var bytes = prefix + [UInt8](repeating: 0, count: length - prefix.count)
        let restCount = try bytes.withUnsafeMutableBytes { buffer in
            try FileDescriptorIO.read(fd, into: UnsafeMutableRawBufferPointer(rebasing: buffer[prefix.count...]), path: path)
        }
        guard restCount == length - prefix.count else {
            throw EnvelopeError(code: .malformedHeader, message: "\(path) ends at byte \(prefix.count + restCount), inside the \(length)-byte header")
        }
        do {
            return try EnvelopeHeader(parsing: bytes)
        } catch let error as EnvelopeError {
            throw EnvelopeError(code: error.code, message: "\(path): \(error.message)")
        }
    }

    private static func readBufferSize(segmentSize: Int) -> Int { max(256 << 10, segmentSize + 1) }

    private static func encrypt(fd: Int32, path: String, encryptor: EnvelopeEncryptor, progress: Progress?,
                                write: (UnsafeRawBufferPointer) throws -> Void) throws {
        let buffer = SegmentBuffer(capacity: readBufferSize(segmentSize: encryptor.header.segmentSize))
        var total: UInt64 = 0
        while true {
            let count = try FileDescriptorIO.read(fd, into: buffer.memory, path: path)
            if count == 0 { break }
            try encryptor.update(UnsafeRawBufferPointer(rebasing: buffer.memory[..<count])) { try write($0) }
            total += UInt64(count)
            progress?(total)
        }
        try encryptor.finish { try write($0) }
    }

    private static func decrypt(fd: Int32, path: String, decryptor: EnvelopeDecryptor, progress: Progress?,
                                write: (UnsafeRawBufferPointer) throws -> Void) throws {
        let buffer = SegmentBuffer(capacity: readBufferSize(segmentSize: decryptor.header.segmentSize + SegmentCipher.tagByteCount))
        var total = UInt64(decryptor.header.byteCount)
        while true {
            let count = try FileDescriptorIO.read(fd, into: buffer.memory, path: path)
            if count == 0 { break }
            try decryptor.update(UnsafeRawBufferPointer(rebasing: buffer.memory[..<count])) { try write($0) }
            total += UInt64(count)
            progress?(total)
        }
        try decryptor.finish { try write($0) }
    }
}
