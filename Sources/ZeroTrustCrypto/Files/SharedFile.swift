#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// What a file store shared by several processes needs: noticing that another process replaced the
/// file, and serialising read-modify-write cycles across processes.
package enum SharedFile {
    /// Which file is at a path, and which contents: device, inode, size and modification time. An
    /// atomic rewrite (temporary file and `rename`) always gives a new inode, so it always shows.
    package struct Version: Equatable, Sendable {
        let device: UInt64
        let inode: UInt64
        let size: Int64
        let modifiedSeconds: Int
        let modifiedNanoseconds: Int

        /// The version of the file at `path`, or nil when there is none (or it cannot be examined).
        package init?(path: String) {
            var info = stat()
            guard stat(path, &info) == 0 else { return nil }
            device = UInt64(info.st_dev)
            inode = UInt64(info.st_ino)
            size = Int64(info.st_size)
#if canImport(Darwin)
            modifiedSeconds = Int(info.st_mtimespec.tv_sec)
            modifiedNanoseconds = Int(info.st_mtimespec.tv_nsec)
#else
            modifiedSeconds = Int(info.st_mtim.tv_sec)
            modifiedNanoseconds = Int(info.st_mtim.tv_nsec)
#endif
        }
    }

    /// Runs `body` holding an exclusive advisory lock (`flock`) on `path + ".lock"`, created with
    /// mode 0600 if missing. Every process that rewrites the file takes it first, so no update is
    /// lost to a concurrent rewrite from another process. The lock file is left in place.
    package static func withExclusiveLock<R, E: Error>(beside path: String, _ body: () throws(E) -> R)
        throws(POSIXIO.Failure) -> Result<R, E> {
        let fd = open(path + ".lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw POSIXIO.Failure(code: errno) }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else { throw POSIXIO.Failure(code: errno) }
        }
        defer { flock(fd, LOCK_UN) }
        return Result { () throws(E) in try body() }
    }
}
