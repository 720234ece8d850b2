import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A real rsyslogd on loopback for the syslog sink tests (Debian package `rsyslog`, installed by
/// scripts/setup.sh): TCP and UDP on a free port and a Unix datagram socket, writing every raw
/// message received to `out.log`. A missing rsyslogd is a test failure, not a skip.
final class RsyslogServer {
    let directory: TemporaryDirectory
    let port: UInt16
    let socketPath: String
    private let process: Process
    var outputPath: String { directory.path("out.log") }

    static let executable = ["/usr/sbin/rsyslogd", "/sbin/rsyslogd", "/usr/local/sbin/rsyslogd"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    init() throws {
        let executable = try #require(Self.executable, "rsyslogd is not installed: run scripts/setup.sh (Debian package rsyslog)")
        directory = try TemporaryDirectory()
        port = try Self.freePort()
        socketPath = directory.path("log.sock")
        let config = """
            global(workDirectory="\(directory.url.path)")
            module(load="imtcp")
            module(load="imudp")
            module(load="imuxsock" SysSock.Use="off")
            input(type="imtcp" address="127.0.0.1" port="\(port)")
            input(type="imudp" address="127.0.0.1" port="\(port)")
            input(type="imuxsock" Socket="\(socketPath)" CreatePath="on" UseSpecialParser="off" ParseHostname="on")
            template(name="raw" type="string" string="%rawmsg%\\n")
            *.* action(type="omfile" file="\(directory.path("out.log"))" template="raw")
            """
        try config.write(toFile: directory.path("rsyslog.conf"), atomically: true, encoding: .utf8)
        process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["-n", "-f", directory.path("rsyslog.conf"), "-i", directory.path("pid")]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        try waitUntilListening()
    }

    /// Kills the server (rsyslogd can take seconds to honour SIGTERM) and removes its directory.
    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        directory.remove()
    }

    /// The raw messages received that contain `marker`, waiting (at most 10 s) until `count` have arrived.
    func messages(containing marker: String, count: Int) -> [String] {
        var lines: [String] = []
        for _ in 0..<400 {
            lines = ((try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
                .filter { $0.contains(marker) }
            if lines.count >= count { return lines }
            usleep(25_000)
        }
        return lines
    }

    private func waitUntilListening() throws {
        for _ in 0..<400 {
            #expect(process.isRunning, "rsyslogd exited at start-up (status \(process.isRunning ? 0 : process.terminationStatus))")
            guard process.isRunning else { throw CancellationError() }
            if Self.canConnect(port: port) && FileManager.default.fileExists(atPath: socketPath) { return }
            usleep(25_000)
        }
        Issue.record("rsyslogd did not start listening on 127.0.0.1:\(port)")
        throw CancellationError()
    }

    private static func canConnect(port: UInt16) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }

    /// A port that is free for both TCP and UDP right now (bind to 0, read it back).
    private static func freePort() throws -> UInt16 {
        for _ in 0..<20 {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
            _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
            close(fd)
            let port = UInt16(bigEndian: address.sin_port)
            let udp = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
            var probe = address
            let free = withUnsafePointer(to: &probe) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(udp, $0, length) } } == 0
            close(udp)
            if port != 0 && free { return port }
        }
        throw CancellationError()
    }
}
