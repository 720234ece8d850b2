#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// Reading and writing files that hold secrets: written atomically (temporary file, `fsync`,
/// `rename`, `fsync` of the directory) with mode 0600, read straight into ``SecureBytes``.
///
/// A crash at any point leaves either the old file or the new one, never a partial file.
public enum SecretFile {
    /// The mode of files written here: owner read and write only.
    public static let mode: UInt32 = 0o600

    /// Atomically replaces `path` with `bytes`, mode 0600.
    public static func write(_ bytes: SecureBytes, to path: String) throws {
        try bytes.withUnsafeBytes { buffer in try write(buffer, to: path, mode: mode) }
    }

    /// Atomically replaces `path` with UTF-8 `text` (e.g. PEM), mode 0600.
    public static func write(_ text: String, to path: String) throws {
        var text = text
        try text.withUTF8 { utf8 in try write(UnsafeRawBufferPointer(utf8), to: path, mode: mode) }
    }

    /// Atomically replaces `path` with `bytes` and the given permission bits.
    public static func write(_ bytes: UnsafeRawBufferPointer, to path: String, mode: UInt32) throws {
        let mode = mode_t(mode)
        let directory = Self.directory(of: path)
        let temporary = "\(path).tmp-\(Hex.encode(SecureRandom.bytes(count: 8)))"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw fileError("cannot create", temporary) }
        var succeeded = false
        defer {
            if !succeeded { unlink(temporary) }
        }
        do {
            defer { close(fd) }
            // The umask may have narrowed the mode at creation; set it exactly.
            guard fchmod(fd, mode) == 0 else { throw fileError("cannot set the mode of", temporary) }
            do { try POSIXIO.writeAll(fd, bytes) } catch { throw fileError("cannot write", temporary, error) }
            guard fsync(fd) == 0 else { throw fileError("cannot fsync", temporary) }
        }
        guard rename(temporary, path) == 0 else { throw fileError("cannot rename into place", path) }
        succeeded = true
        let directoryFD = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directoryFD >= 0 {
            defer { close(directoryFD) }
            guard fsync(directoryFD) == 0 else { throw fileError("cannot fsync the directory of", path) }
        }
    }

    /// Reads `path` into secure memory. At most `maximumByteCount` bytes are accepted, so a wrong
    /// path (a device, a huge file) fails cleanly.
    public static func read(_ path: String, maximumByteCount: Int = 1 << 20) throws -> SecureBytes {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw fileError("cannot open", path) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw fileError("cannot stat", path) }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw CryptoError(code: .fileError, message: "\(path) is not a regular file")
        }
        let size = Int(info.st_size)
        guard size <= maximumByteCount else {
            throw CryptoError(code: .fileError, message: "\(path) holds \(size) bytes, more than the \(maximumByteCount) allowed for a key file")
        }
        var total = 0
        var readError: CryptoError?
        let contents = SecureBytes(count: size) { (buffer: UnsafeMutableRawBufferPointer) -> Void in
            do throws(POSIXIO.Failure) {
                total = try POSIXIO.readUpTo(fd, into: buffer)
            } catch {
                readError = fileError("cannot read", path, error)
            }
        }
        if let readError { throw readError }
        guard total == size else {
            throw CryptoError(code: .fileError, message: "\(path) changed size while being read")
        }
        return contents
    }

    /// Reads a UTF-8 text file that holds a secret (PEM). The returned `String` is not wiped;
    /// prefer ``read(_:maximumByteCount:)`` where the parser takes bytes.
    public static func readText(_ path: String) throws -> String {
        let bytes = try read(path)
        return try bytes.withUnsafeBytes { raw in
            guard let text = String(validating: raw.bindMemory(to: UInt8.self), as: UTF8.self) else {
                throw CryptoError(code: .fileError, message: "\(path) is not UTF-8 text")
            }
            return text
        }
    }

    private static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    private static func fileError(_ what: String, _ path: String) -> CryptoError {
        CryptoError(code: .fileError, message: "\(what) \(path): \(String(cString: strerror(errno)))")
    }

    private static func fileError(_ what: String, _ path: String, _ failure: POSIXIO.Failure) -> CryptoError {
        CryptoError(code: .fileError, message: "\(what) \(path): \(failure.reason)")
    }
}
