import Foundation
import Testing
@testable import ZeroTrustMonitoring

@Suite("Syslog sink against a real rsyslogd", .serialized)
struct SyslogSinkTests {
    func events(_ tag: String) -> [AuditEvent] {
        [AuditEvent(time: Samples.base, sequence: 1, payload: Samples.access("alice-\(tag)")),
         AuditEvent(time: Samples.base, sequence: 2, payload: Samples.access("bob-\(tag)", decision: .deny)),
         AuditEvent(time: Samples.base, sequence: 3, payload: .alert(Alert(detector: "brute_force", severity: .high, summary: "x-\(tag)")))]
    }

    func check(_ transport: SyslogSink.Transport, tag: String, server: RsyslogServer) async throws {
        let sink = try SyslogSink(transport: transport, appName: "zt-test", hostname: "testhost")
        try await sink.write(events(tag))
        try await sink.close()
        let received = server.messages(containing: "\(tag)\"", count: 3)
        #expect(received.count == 3, "received: \(received)")
        // <PRI>: facility 13 (log audit) × 8 + severity 6 (permit), 4 (deny), 2 (high alert).
        let expectedPrefixes = ["<110>1 2026-09-21T14:13:20.000000Z testhost zt-test ", "<108>1 ", "<106>1 "]
        for (line, prefix) in zip(received, expectedPrefixes) { #expect(line.hasPrefix(prefix), "\(line)") }
        #expect(received.first?.contains(" access - {\"v\":1,") == true)
        let json = try #require(received.first.flatMap { $0.range(of: " - {") }.map { received[0][$0.upperBound...] }).description
        let decoded = try JSONLinesDecoder().decode(Array(("{" + json).utf8))
        #expect(decoded.subject == "alice-\(tag)")
    }

    @Test("RFC 5424 over TCP (octet counting), UDP and a Unix socket reach rsyslogd intact")
    func transports() async throws {
        let server = try RsyslogServer()
        defer { server.stop() }
        try await check(.tcp(host: "127.0.0.1", port: server.port), tag: "tcp", server: server)
        try await check(.udp(host: "127.0.0.1", port: server.port), tag: "udp", server: server)
        try await check(.unixSocket(path: server.socketPath), tag: "unix", server: server)
    }

    @Test("a strict syslog destination fails closed when the server is gone")
    func failsClosed() async throws {
        let server = try RsyslogServer()
        let port = server.port
        server.stop()
        let sink = try SyslogSink(transport: .tcp(host: "127.0.0.1", port: port))
        let log = AuditLog(destinations: [AuditDestination(name: "syslog", sink: sink, mode: .strict)])
        await #expect { try await log.record(Samples.access()) } throws: { ($0 as? AuditError)?.code == .deliveryFailed }
    }
}
