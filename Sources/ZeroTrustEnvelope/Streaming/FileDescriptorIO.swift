import ZeroTrustCrypto
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// POSIX reads and writes into caller buffers (no `Data` per call), with errors that name the path.
enum FileDescriptorIO {
    /// Reads until `buffer` is full or end of file; returns the byte count.
    static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, path: String) throws(EnvelopeError) -> Int {
        do { return try POSIXIO.readUpTo(fd, into: buffer) } catch { throw self.error("cannot read", path, error) }
    }

    /// Reads exactly `buffer.count` bytes at `offset`, or throws ``EnvelopeError/Code/truncated``.
    static func read(_ fd: Int32, at offset: UInt64, into buffer: UnsafeMutableRawBufferPointer, path: String) throws(EnvelopeError) {
        var total = 0
        while total < buffer.count, let base = buffer.baseAddress {
            let count = pread(fd, base + total, buffer.count - total, off_t(offset) + off_t(total))
            if count < 0 {
                if errno == EINTR { continue }
                throw error("cannot read", path)
            }
            if count == 0 {
                throw EnvelopeError(code: .truncated, message: "\(path) ends at byte \(offset + UInt64(total)), expected \(buffer.count - total) more")
            }
            total += count
        }
    }

    static func write(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws(EnvelopeError) {
        do { try POSIXIO.writeAll(fd, bytes) } catch { throw self.error("cannot write", path, error) }
    }

    static func size(_ fd: Int32, path: String) throws(EnvelopeError) -> UInt64 {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw error("cannot stat", path) }
        return UInt64(max(0, info.st_size))
    }

    static func openForReading(_ path: String) throws(EnvelopeError) -> Int32 {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw error("cannot open", path) }
        return fd
    }

    static func close(_ fd: Int32) {
        #if canImport(Glibc)
        _ = Glibc.close(fd)
        #else
        _ = Darwin.close(fd)
        #endif
    }

    static func error(_ what: String, _ path: String) -> EnvelopeError {
        EnvelopeError(code: .ioError, message: "\(what) \(path): \(String(cString: strerror(errno)))")
    }

    static func error(_ what: String, _ path: String, _ failure: POSIXIO.Failure) -> EnvelopeError {
        EnvelopeError(code: .ioError, message: "\(what) \(path): \(failure.reason)")
    }

}

/// A file written under a temporary name beside its destination and renamed into place only by
/// ``commit()``, after `fsync`; removed if never committed. What `zt decrypt` relies on so that
/// no output exists unless the whole envelope authenticated.
final class AtomicOutputFile {
    let path: String
    let temporaryPath: String
    let fd: Int32
    private var done = false

    init(path: String, mode: UInt32 = 0o600) throws(EnvelopeError) {
        self.path = path
        temporaryPath = "\(path).tmp-\(String(SecureRandom.uint64(), radix: 16))"
        let fd = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode_t(mode))
        guard fd >= 0 else { throw FileDescriptorIO.error("cannot create", temporaryPath) }
        self.fd = fd
        _ = fchmod(fd, mode_t(mode))
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws(EnvelopeError) {
        try FileDescriptorIO.write(fd, bytes, path: temporaryPath)
    }

    /// `fsync`, rename over `path`, `fsync` the directory.
    func commit() throws(EnvelopeError) {
        guard !done else { return }
        done = true
        defer { FileDescriptorIO.close(fd) }
        guard fsync(fd) == 0 else {
            let failure = FileDescriptorIO.error("cannot fsync", temporaryPath)
            unlink(temporaryPath)
            throw failure
        }
        guard rename(temporaryPath, path) == 0 else {
            let failure = FileDescriptorIO.error("cannot rename into place", path)
            unlink(temporaryPath)
            throw failure
        }
        let directory = path.lastIndex(of: "/").map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
        let directoryFD = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directoryFD >= 0 {
            _ = fsync(directoryFD)
            FileDescriptorIO.close(directoryFD)
        }
    }

    /// Removes the temporary file (a no-op after ``commit()``).
    func discard() {
        guard !done else { return }
        done = true
        FileDescriptorIO.close(fd)
        unlink(temporaryPath)
    }

    deinit { discard() }
}
