#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// What a file store shared by several processes needs: one name for the file whatever path each
/// process was given, noticing that another process replaced the file, and serialising
/// read-modify-write cycles across processes.
package enum SharedFile {
    /// Which file is at a path, and which contents: device, inode, size, and the modification and
    /// status-change times. A rewrite by `rename` changes the status-change time even when the
    /// file system hands the new file a recycled inode number.
    package struct Version: Equatable, Sendable {
        let device: UInt64
        let inode: UInt64
        let size: Int64
        let modified: [Int]
        let changed: [Int]

        /// The version of the file at `path`, or nil when there is none (or it cannot be examined).
        package init?(path: String) {
            var info = stat()
            guard stat(path, &info) == 0 else { return nil }
            device = UInt64(truncatingIfNeeded: info.st_dev)
            inode = UInt64(truncatingIfNeeded: info.st_ino)
            size = Int64(info.st_size)
#if canImport(Darwin)
            modified = [Int(info.st_mtimespec.tv_sec), Int(info.st_mtimespec.tv_nsec)]
            changed = [Int(info.st_ctimespec.tv_sec), Int(info.st_ctimespec.tv_nsec)]
#else
            modified = [Int(info.st_mtim.tv_sec), Int(info.st_mtim.tv_nsec)]
            changed = [Int(info.st_ctim.tv_sec), Int(info.st_ctim.tv_nsec)]
#endif
        }
    }

    /// `path` with symbolic links and relative parts resolved (in its directory, when the file
    /// does not exist yet), so that every process names the same file, and its lock, the same way.
    package static func canonicalPath(_ path: String) -> String {
        if let resolved = realpath(path, nil) {
            defer { free(resolved) }
            return String(cString: resolved)
        }
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        guard let resolved = realpath(directory.isEmpty ? "/" : directory, nil) else { return path }
        defer { free(resolved) }
        let base = String(cString: resolved)
        return (base.hasSuffix("/") ? base : base + "/") + name
    }

    /// Why a lock could not be had.
    package enum LockFailure: Error {
        /// A system call failed.
        case system(POSIXIO.Failure)
        /// The lock file belongs to another user or is open to others.
        case untrusted(String)
        /// Another process held the lock for longer than the deadline.
        case timedOut
    }

    /// Runs `body` holding an exclusive advisory lock (`flock`) on `path + ".lock"`, created with
    /// mode 0600 if missing. Every process that rewrites the file takes it first, so no update is
    /// lost to a concurrent rewrite from another process. The lock file is left in place; it must
    /// be a regular file (not a link) of this user, open to no one else. A holder that keeps the
    /// lock past `deadline` seconds (a stopped process) makes this fail rather than wait forever.
    package static func withExclusiveLock<R, E: Error>(beside path: String, deadline: Double = 5,
                                                        _ body: () throws(E) -> R) throws(LockFailure) -> Result<R, E> {
        let fd = open(path + ".lock", O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw .system(POSIXIO.Failure(code: errno)) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .system(POSIXIO.Failure(code: errno)) }
        guard info.st_uid == geteuid(), info.st_mode & 0o077 == 0, info.st_mode & S_IFMT == S_IFREG else {
            throw .untrusted("\(path).lock is not a private regular file of this user")
        }
        // Non-blocking attempts, 10 ms apart, until the deadline.
        var waited = 0.0
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            guard code == EWOULDBLOCK || code == EINTR else { throw .system(POSIXIO.Failure(code: code)) }
            guard waited < deadline else { throw .timedOut }
            usleep(10_000)
            waited += 0.01
        }
        defer { flock(fd, LOCK_UN) }
        return Result { () throws(E) in try body() }
    }
}
