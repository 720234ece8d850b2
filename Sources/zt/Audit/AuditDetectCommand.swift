import ArgumentParser
import ZeroTrustMonitoring

/// `zt audit detect`.
struct AuditDetectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "detect",
        abstract: "Run every anomaly detector over a recorded log and print the alerts as JSON lines.",
        discussion: """
            Detectors and their default thresholds (Documentation/AuditEvents.md): credential_stuffing
            (≥ 25 failed logins on ≥ 15 subjects from one IP in 15 min), brute_force (≥ 10 failures for one
            subject in 5 min), unusual_time (activity in hours holding < 1% of a subject's ≥ 100 past events),
            unusual_volume (a window > EWMA mean + 3σ and ≥ 100 requests or 100 MiB), denied_burst
            (≥ 10 denials for one subject in 1 min). Alerts are printed as native-schema alert events.
            Exit 0: no alert; 1: at least one alert; 2: unreadable log.

            Example:
              zt audit detect audit.log | jq .summary
            """
    )

    @Argument(help: "The log file.")
    var log: String

    func run() async throws {
        // Replays the events through every detector, in order, reading the log one event at a time;
        // alerts are numbered from 1 and printed as they fire.
        var reader = try AuditLogReader(log)
        let detectors = defaultAnomalyDetectors()
        let encoder = JSONLinesEncoder()
        var alerts = 0
        while let event = try reader.next() {
            if case .alert = event.payload { continue }
            for detector in detectors {
                for alert in await detector.observe(event) {
                    alerts += 1
                    let stamped = AuditEvent(time: event.time, sequence: UInt64(alerts), payload: .alert(alert))
                    FileHandleOutput.standardOutput.write(String(decoding: encoder.encode(stamped), as: UTF8.self) + "\n")
                }
            }
        }
        if alerts > 0 { throw CommandFailure.rejected("\(alerts) alert(s)") }
    }
}
