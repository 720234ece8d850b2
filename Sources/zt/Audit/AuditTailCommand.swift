import ArgumentParser
import ZeroTrustMonitoring

/// `zt audit tail`.
struct AuditTailCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tail",
        abstract: "Print the last events of a chained log as native JSON, OCSF 1.7 or CEF lines.",
        discussion: """
            Does not verify the log (use zt audit verify). An incomplete final line is skipped.

            Examples:
              zt audit tail audit.log
              zt audit tail audit.log --format cef --count 0     # every event, as CEF
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case json, ocsf, cef
    }

    @Argument(help: "The log file.")
    var log: String

    @Option(name: .long, help: "Output format: json (native schema), ocsf or cef.")
    var format: Format = .json

    @Option(name: .long, help: "How many of the last events to print (0: all).")
    var count = 10

    func validate() throws {
        guard count >= 0 else { throw ValidationError("--count must not be negative") }
    }

    func run() throws {
        let encoder: any AuditEventEncoder = switch format {
        case .json: JSONLinesEncoder()
        case .ocsf: OCSFEncoder()
        case .cef: CEFEncoder()
        }
        let print = { (event: AuditEvent) in
            FileHandleOutput.standardOutput.write(String(decoding: encoder.encode(event), as: UTF8.self) + "\n")
        }
        var reader = try AuditLogReader(log)
        guard count > 0 else {
            while let event = try reader.next() { print(event) }
            return
        }
        // A ring of the last `count` events: memory is bounded by --count, not by the log.
        var ring: [AuditEvent] = []
        ring.reserveCapacity(count)
        var seen = 0
        while let event = try reader.next() {
            if ring.count < count { ring.append(event) } else { ring[seen % count] = event }
            seen += 1
        }
        let oldest = ring.count < count ? 0 : seen % count
        for index in 0..<ring.count { print(ring[(oldest + index) % ring.count]) }
    }
}
