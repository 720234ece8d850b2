import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Sends events as RFC 5424 syslog messages over UDP, TCP (RFC 6587 octet-counting framing:
/// `LEN SP MSG`) or a Unix datagram socket (such as `/dev/log`).
///
/// Each message is `<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID - MSG`: the facility defaults
/// to 13 (log audit); the severity follows the event (denials and failures are warning(4), alerts
/// notice(5) to critical(2), the rest informational(6)); MSGID is the event type; MSG is the
/// encoder's line (native JSON by default, or OCSF/CEF). Over TCP a broken connection is reopened
/// once per write; a write that still fails throws (so a strict destination fails closed). UDP
/// and Unix datagrams are fire-and-forget beyond the local send.
///
/// Sends are blocking socket calls, made on a serial queue of the sink's own (a thread outside
/// Swift's cooperative pool) while the writing task is suspended: a slow TCP receiver or a full
/// Unix socket delays this sink's events, not the process's other tasks.
///
/// ```swift
/// let sink = try SyslogSink(transport: .tcp(host: "127.0.0.1", port: 6514), encoder: CEFEncoder())
/// ```
public final class SyslogSink: AuditSink, @unchecked Sendable {
    // @unchecked: `socketFD` is only touched on `io` (and in deinit, when nothing else can).

    /// Where messages go.
    public enum Transport: Sendable, Hashable {
        /// UDP datagrams to a host (numeric address or name) and port.
        case udp(host: String, port: UInt16)
        /// A TCP stream with octet-counted framing.
        case tcp(host: String, port: UInt16)
        /// A Unix domain datagram socket at a path.
        case unixSocket(path: String)
    }

    private let transport: Transport
    private let encoder: any AuditEventEncoder
    private let facility: Int
    private let appName: String
    private let hostname: String
    private let processID = String(getpid())
    private let io = BlockingIOQueue(label: "zt.audit.syslog-sink")
    private var socketFD: Int32 = -1

    /// Creates a sink; the connection is opened on the first write. `hostname` defaults to this host's name.
    public init(transport: Transport, encoder: any AuditEventEncoder = JSONLinesEncoder(), facility: Int = 13,
                appName: String = "zt", hostname: String? = nil) throws {
        guard (0...23).contains(facility) else {
            throw AuditError(code: .invalidConfiguration, message: "syslog facility must be 0…23, got \(facility)")
        }
        self.transport = transport
        self.encoder = encoder
        self.facility = facility
        self.appName = Self.headerField(appName, maximum: 48)
        self.hostname = Self.headerField(hostname ?? ProcessInfo.processInfo.hostName, maximum: 255)
    }

    deinit { if socketFD >= 0 { Glibc.close(socketFD) } }

    /// Sends each event as one message.
    public func write(_ events: [AuditEvent]) async throws {
        let messages = events.map(message)
        try await io.run { [self] in
            for message in messages { try send(message) }
        }
    }

    /// Closes the socket.
    public func close() async throws {
        try await io.run { [self] in closeSocket() }
    }

    /// The RFC 5424 message for an event.
    func message(for event: AuditEvent) -> [UInt8] {
        let severity: Int = switch event.payload {
        case .access(let e): e.decision == .deny ? 4 : 6
        case .authentication(let e): e.outcome == .failure ? 4 : 6
        case .key(let e): e.succeeded ? 6 : 4
        case .policyLoad(let e): e.succeeded ? 6 : 4
        case .token: 6
        case .logRecovery: 4
        case .alert(let e): switch e.severity { case .low: 5; case .medium: 4; case .high: 2 }
        }
        var bytes = Array("<\(facility * 8 + severity)>1 \(RFC3339.format(event.time)) \(hostname) \(appName) \(processID) \(event.payload.typeName) - ".utf8)
        bytes.append(contentsOf: encoder.encode(event))
        return bytes
    }

    /// Printable US-ASCII without spaces, as RFC 5424 header fields require; `-` when empty.
    private static func headerField(_ value: String, maximum: Int) -> String {
        let cleaned = String(value.unicodeScalars.filter { $0.value > 32 && $0.value < 127 }.prefix(maximum).map(Character.init))
        return cleaned.isEmpty ? "-" : cleaned
    }

    private func send(_ message: [UInt8]) throws {
        switch transport {
        case .tcp:
            let framed = Array("\(message.count) ".utf8) + message
            do {
                try sendOnce(framed)
            } catch {
                // A peer restart leaves a dead connection: reconnect once, then give up loudly.
                closeSocket()
                try sendOnce(framed)
            }
        case .udp, .unixSocket:
            try sendOnce(message)
        }
    }

    private func closeSocket() {
        if socketFD >= 0 { Glibc.close(socketFD) }
        socketFD = -1
    }

    private func sendOnce(_ bytes: [UInt8]) throws {
        if socketFD < 0 { socketFD = try connect() }
        try bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count, let base = buffer.baseAddress {
                let sent = Glibc.send(socketFD, base + offset, buffer.count - offset, Int32(MSG_NOSIGNAL))
                if sent < 0 && errno == EINTR { continue }
                guard sent > 0 else {
                    let reason = String(cString: strerror(errno))
                    closeSocket()
                    throw AuditError(code: .transport, message: "syslog send to \(describe()) failed: \(reason)")
                }
                offset += sent
            }
        }
    }

    private func describe() -> String {
        switch transport {
        case .udp(let host, let port): "udp://\(host):\(port)"
        case .tcp(let host, let port): "tcp://\(host):\(port)"
        case .unixSocket(let path): "unix:\(path)"
        }
    }

    private func connect() throws -> Int32 {
        switch transport {
        case .udp(let host, let port): return try connectInternet(host: host, port: port, type: Int32(SOCK_DGRAM.rawValue))
        case .tcp(let host, let port): return try connectInternet(host: host, port: port, type: Int32(SOCK_STREAM.rawValue))
        case .unixSocket(let path):
            let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
            guard fd >= 0 else { throw transportError("socket") }
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            let capacity = MemoryLayout.size(ofValue: address.sun_path)
            guard path.utf8.count < capacity else {
                Glibc.close(fd)
                throw AuditError(code: .invalidConfiguration, message: "unix socket path is longer than \(capacity - 1) bytes: \(path)")
            }
            withUnsafeMutableBytes(of: &address.sun_path) { raw in
                raw.copyBytes(from: path.utf8)
                raw[path.utf8.count] = 0
            }
            let result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            guard result == 0 else {
                let error = transportError("connect")
                Glibc.close(fd)
                throw error
            }
            return fd
        }
    }

    private func connectInternet(host: String, port: UInt16, type: Int32) throws -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = type
        var results: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &results) == 0, let first = results else {
            throw AuditError(code: .transport, message: "cannot resolve syslog host \(host)")
        }
        defer { freeaddrinfo(results) }
        var candidate: UnsafeMutablePointer<addrinfo>? = first
        var lastError = AuditError(code: .transport, message: "cannot connect to \(describe())")
        while let info = candidate {
            let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol)
            if fd >= 0 {
                if Glibc.connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 { return fd }
                lastError = transportError("connect")
                Glibc.close(fd)
            }
            candidate = info.pointee.ai_next
        }
        throw lastError
    }

    private func transportError(_ what: String) -> AuditError {
        AuditError(code: .transport, message: "syslog \(what) to \(describe()) failed: \(String(cString: strerror(errno)))")
    }
}
