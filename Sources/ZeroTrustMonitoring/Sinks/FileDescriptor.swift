import Foundation
import ZeroTrustCrypto
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A POSIX file descriptor with the few operations the file sink needs, each turning a failure
/// into an ``AuditError`` that names the path and errno. Not `Sendable`: owned by one writer.
final class FileDescriptor {
    let path: String
    private(set) var fd: Int32

    /// Opens for appending, creating the file with `mode` when missing.
    init(appendingTo path: String, mode: mode_t = 0o600) throws {
        self.path = path
        fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, mode)
        guard fd >= 0 else { throw Self.error("open", path) }
        // An existing file keeps its mode; tighten it so audit data is never world-readable.
        _ = fchmod(fd, mode)
    }

    /// A second descriptor for the same open file (see ``duplicate()``).
    private init(path: String, descriptor: Int32) {
        self.path = path
        fd = descriptor
    }

    /// A descriptor of its own for the same open file: it stays valid, and syncs the same file,
    /// when this one is closed or the file is renamed.
    func duplicate() throws -> FileDescriptor {
        let copy = fcntl(fd, F_DUPFD_CLOEXEC, 0)
        guard copy >= 0 else { throw Self.error("duplicate the descriptor of", path) }
        return FileDescriptor(path: path, descriptor: copy)
    }

    /// Opens for reading; nil when the file does not exist.
    init?(readingFrom path: String) throws {
        self.path = path
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT { return nil }
            throw Self.error("open", path)
        }
    }

    deinit { if fd >= 0 { close(fd) } }

    static func error(_ what: String, _ path: String) -> AuditError {
        AuditError(code: .io, message: "cannot \(what) \(path): \(String(cString: strerror(errno)))")
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count, let base = bytes.baseAddress {
            let written = Glibc.write(fd, base + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw Self.error("write to", path)
            }
            offset += written
        }
    }

    /// Reads until `buffer` is full or the file ends; returns the byte count (0 at the end).
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        do {
            return try POSIXIO.readUpTo(fd, into: buffer)
        } catch {
            throw AuditError(code: .io, message: "cannot read \(path): \(error.reason)")
        }
    }

    func sync() throws {
        #if canImport(Darwin)
        guard fcntl(fd, F_FULLFSYNC) == 0 || fsync(fd) == 0 else { throw Self.error("fsync", path) }
        #else
        guard fdatasync(fd) == 0 else { throw Self.error("fsync", path) }
        #endif
    }

    func truncate(to length: Int) throws {
        guard ftruncate(fd, off_t(length)) == 0 else { throw Self.error("truncate", path) }
    }

    func closeNow() throws {
        guard fd >= 0 else { return }
        let result = close(fd)
        fd = -1
        guard result == 0 else { throw Self.error("close", path) }
    }

    /// Fsyncs the directory holding `path`, so a created or renamed entry survives a crash.
    static func syncDirectory(of path: String) {
        let directory = (path as NSString).deletingLastPathComponent
        let fd = open(directory.isEmpty ? "." : directory, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
    }
}
