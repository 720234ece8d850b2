import Foundation
import Testing
@testable import ZeroTrustMonitoring
#if canImport(Glibc)
import Glibc
#endif

@Suite("Sink I/O stays off Swift's cooperative pool", .timeLimit(.minutes(1)))
struct SinkIOThreadTests {
    /// A bound Unix datagram socket that is never read, so a sender blocks once its queue is full.
    final class SilentReceiver {
        let path: String
        private var fd: Int32

        init(path: String) throws {
            self.path = path
            fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
            guard fd >= 0 else { throw AuditError(code: .io, message: "socket failed") }
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &address.sun_path) { raw in
                raw.copyBytes(from: path.utf8)
                raw[path.utf8.count] = 0
            }
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            guard bound == 0 else { throw AuditError(code: .io, message: "bind \(path) failed") }
        }

        /// Whether a datagram has arrived (without taking it).
        var hasData: Bool {
            var byte: UInt8 = 0
            return recv(fd, &byte, 1, Int32(MSG_PEEK | MSG_DONTWAIT)) >= 0
        }

        /// Closing wakes blocked senders with an error.
        func close() {
            if fd >= 0 { Glibc.close(fd) }
            fd = -1
        }

        deinit { close() }
    }

    @Test("more syslog sinks blocked in send than the pool has threads: other tasks still run")
    func blockedSendsLeaveThePoolFree() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        // One more blocked sink than the cooperative pool has threads: if sends ran on the pool,
        // this test's own task could not run again and the time limit would fail it.
        let count = ProcessInfo.processInfo.activeProcessorCount + 1
        let receivers = try (0..<count).map { try SilentReceiver(path: directory.path("r\($0).sock")) }
        let sinks = try receivers.map { try SyslogSink(transport: .unixSocket(path: $0.path)) }
        // Far more datagrams than a Unix socket queues (net.unix.max_dgram_qlen, 10 to 512).
        let events = Samples.events(5000)
        let writes = sinks.map { sink in Task { try await sink.write(events) } }
        for receiver in receivers {
            while !receiver.hasData { await Task.yield() }
        }
        // Every sink is sending; the pool still runs a fresh task to completion.
        #expect(await Task.detached { 40 + 2 }.value == 42)
        for receiver in receivers { receiver.close() }
        for write in writes {
            await #expect { try await write.value } throws: { ($0 as? AuditError)?.code == .transport }
        }
    }
}
