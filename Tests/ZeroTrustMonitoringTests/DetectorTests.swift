import Foundation
import Testing
import ZeroTrustKitTesting
@testable import ZeroTrustMonitoring

/// A deterministic generator (SplitMix64), so synthetic traffic is the same on every run.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite("Anomaly detectors")
struct DetectorTests {
    let start = Date(timeIntervalSince1970: 1_790_035_200)   // 2026-09-22 00:00:00 UTC

    func event(_ payload: AuditEvent.Payload, at offset: TimeInterval) -> AuditEvent {
        AuditEvent(time: start.addingTimeInterval(offset), payload: payload)
    }

    func run(_ detector: some AnomalyDetector, _ events: [AuditEvent]) async -> [Alert] {
        var alerts: [Alert] = []
        for event in events { alerts += await detector.observe(event) }
        return alerts
    }

    @Test("credential stuffing: one IP, many subjects, within 15 minutes")
    func credentialStuffing() async {
        let stuffing = (0..<30).map { event(Samples.failedLogin("user\($0 % 20)", ip: "198.51.100.7"), at: Double($0) * 20) }
        let alerts = await run(CredentialStuffingDetector(), stuffing)
        #expect(alerts.count == 1, "one alert per IP per window")
        #expect(alerts.first?.sourceIP == "198.51.100.7")
        #expect(alerts.first?.detector == "credential_stuffing")
        #expect(alerts.first?.severity == .high)
        #expect(alerts.first?.evidence.count == 20)
        let evidence = Set(alerts.first?.evidence ?? [])
        #expect(evidence.isSubset(of: Set(stuffing.map(\.id))))

        // Same attempts but only 5 subjects, too few attempts, or too slow: no alert.
        let fewSubjects = (0..<30).map { event(Samples.failedLogin("user\($0 % 5)", ip: "198.51.100.8"), at: Double($0) * 20) }
        #expect(await run(CredentialStuffingDetector(), fewSubjects).isEmpty)
        let fewAttempts = (0..<24).map { event(Samples.failedLogin("user\($0)", ip: "198.51.100.9"), at: Double($0) * 20) }
        #expect(await run(CredentialStuffingDetector(), fewAttempts).isEmpty)
        let slow = (0..<30).map { event(Samples.failedLogin("user\($0)", ip: "198.51.100.10"), at: Double($0) * 60) }
        #expect(await run(CredentialStuffingDetector(), slow).isEmpty)
    }

    @Test("brute force: many failures for one subject within 5 minutes")
    func bruteForce() async {
        let attack = (0..<12).map { event(Samples.failedLogin("bob", ip: "203.0.113.\($0)"), at: Double($0) * 20) }
        let alerts = await run(BruteForceDetector(), attack)
        #expect(alerts.count == 1)
        #expect(alerts.first?.subject == "bob")
        #expect(await run(BruteForceDetector(), Array(attack.prefix(9))).isEmpty)
        let slow = (0..<12).map { event(Samples.failedLogin("bob", ip: nil), at: Double($0) * 40) }
        #expect(await run(BruteForceDetector(), slow).isEmpty)
    }

    @Test("denied burst: many denials for one subject within a minute")
    func deniedBurst() async {
        let probing = (0..<15).map { event(Samples.access("mallory", decision: .deny), at: Double($0) * 2) }
        let alerts = await run(DeniedBurstDetector(), probing)
        #expect(alerts.count == 1)
        #expect(alerts.first?.subject == "mallory")
        #expect(await run(DeniedBurstDetector(), Array(probing.prefix(9))).isEmpty)
        let permits = (0..<15).map { event(Samples.access("alice"), at: Double($0) * 2) }
        #expect(await run(DeniedBurstDetector(), permits).isEmpty)
    }

    @Test("unusual time: an hour outside the subject's learned hours, after enough history")
    func unusualTime() async {
        var history: [AuditEvent] = []
        for day in 0..<5 {
            for index in 0..<40 {   // 09:00–17:00 each day
                history.append(event(Samples.access("alice"), at: Double(day) * 86_400 + 9 * 3600 + Double(index) * 720))
            }
        }
        let detector = UnusualTimeDetector()
        #expect(await run(detector, history).isEmpty)
        let night = event(Samples.access("alice"), at: 5 * 86_400 + 3 * 3600)
        let alerts = await detector.observe(night)
        #expect(alerts.count == 1)
        #expect(alerts.first?.evidence == [night.id])
        #expect(await detector.observe(event(Samples.access("alice"), at: 5 * 86_400 + 13 * 3600)).isEmpty)

        // Too little history: no judgement.
        let newcomer = UnusualTimeDetector()
        #expect(await run(newcomer, Array(history.prefix(50)) + [night]).isEmpty)

        // Fixed business hours flag off-hours activity at once.
        var configuration = UnusualTimeDetector.Configuration()
        configuration.businessHours = 8..<19
        let strict = UnusualTimeDetector(configuration: configuration)
        #expect(await strict.observe(event(Samples.access("bob"), at: 22 * 3600)).count == 1)
        #expect(await strict.observe(event(Samples.access("bob"), at: 10 * 3600)).isEmpty)
    }

    @Test("unusual volume: a window far above the subject's own baseline and the floor")
    func unusualVolume() async {
        var events: [AuditEvent] = []
        for hour in 0..<10 {
            for index in 0..<(18 + hour % 5) { events.append(event(Samples.access("svc-export"), at: Double(hour) * 3600 + Double(index) * 60)) }
        }
        let detector = UnusualVolumeDetector()
        #expect(await run(detector, events).isEmpty)
        let burst = (0..<400).map { event(Samples.access("svc-export"), at: 10 * 3600 + Double($0) * 5) }
        let alerts = await run(detector, burst)
        #expect(alerts.count == 1, "one alert per window")
        #expect(alerts.first?.subject == "svc-export")

        // Bytes: a steady 10 MiB an hour, then 2 GiB in one hour.
        let bytesDetector = UnusualVolumeDetector()
        var transfers = (0..<10).map { event(Samples.access("svc-copy", bytes: 10 << 20), at: Double($0) * 3600) }
        transfers.append(event(Samples.access("svc-copy", bytes: 2 << 30), at: 10 * 3600 + 60))
        #expect(await run(bytesDetector, transfers).count == 1)
    }

    @Test("memory stays bounded however many addresses appear")
    func boundedMemory() async {
        var configuration = CredentialStuffingDetector.Configuration()
        configuration.maximumTracked = 500
        let detector = CredentialStuffingDetector(configuration: configuration)
        for index in 0..<5_000 {
            _ = await detector.observe(event(Samples.failedLogin("u", ip: "10.\(index / 65536).\(index / 256 % 256).\(index % 256)"), at: Double(index)))
        }
        #expect(await detector.trackedCount <= 500)
        let subjects = BruteForceDetector()
        for index in 0..<12_000 { _ = await subjects.observe(event(Samples.failedLogin("user\(index)", ip: nil), at: Double(index))) }
        #expect(await subjects.trackedCount <= 10_000)
    }

    @Test("concurrent feeding raises exactly one alert")
    func concurrency() async {
        let detector = BruteForceDetector()
        let attempts = (0..<40).map { event(Samples.failedLogin("bob", ip: nil), at: Double($0)) }
        let count = await withTaskGroup(of: Int.self) { group in
            for attempt in attempts { group.addTask { await detector.observe(attempt).count } }
            return await group.reduce(0, +)
        }
        #expect(count == 1)
    }

    @Test("a replayed day of synthetic normal activity raises no alert")
    func normalDay() async throws {
        var random = SeededGenerator(state: 7)
        var events: [AuditEvent] = []
        // Seven quiet days of history then the replayed day; 200 office users behind 20 NAT
        // addresses, 9:00–18:00, a few typos at login; 3 service accounts around the clock.
        for day in 0..<8 {
            let dayStart = Double(day) * 86_400
            for user in 0..<200 {
                let subject = "user\(user)"
                let ip = "10.0.\(user % 20).1"
                for _ in 0..<Int.random(in: 1...3, using: &random) {
                    let login = dayStart + Double.random(in: (9 * 3600)...(17 * 3600), using: &random)
                    if Int.random(in: 0..<50, using: &random) == 0 {
                        events.append(event(Samples.failedLogin(subject, ip: ip), at: login - 30))
                    }
                    events.append(event(.authentication(AuthenticationEvent(subject: subject, method: .token, outcome: .success, sourceIP: ip)), at: login))
                }
                for _ in 0..<Int.random(in: 20...60, using: &random) {
                    let time = dayStart + Double.random(in: (9 * 3600)...(18 * 3600), using: &random)
                    let denied = Int.random(in: 0..<40, using: &random) == 0
                    events.append(event(Samples.access(subject, decision: denied ? .deny : .permit, ip: ip,
                                                       bytes: Int.random(in: 1_000...5_000_000, using: &random)), at: time))
                }
            }
            for service in ["svc-etl", "svc-train", "svc-serve"] {
                let perHour = service == "svc-serve" ? 240 : 12
                for slot in 0..<(24 * perHour) {
                    let time = dayStart + Double(slot) * 3600 / Double(perHour) + Double.random(in: 0..<5, using: &random)
                    events.append(event(Samples.access(service, ip: "10.9.0.\(service.count)", bytes: Int.random(in: 100_000...900_000, using: &random)), at: time))
                }
            }
        }
        events.sort { $0.time < $1.time }
        #expect(events.count > 100_000)
        let monitor = InMemoryAuditSink()
        let anomaly = AnomalyMonitor(alertSink: monitor)
        for chunk in stride(from: 0, to: events.count, by: 1000) {
            try await anomaly.write(Array(events[chunk..<min(chunk + 1000, events.count)]))
        }
        let alerts = await monitor.events
        #expect(alerts.isEmpty, "false positives: \(alerts.prefix(5).map { JSONLinesEncoder().encode($0) }.map { String(decoding: $0, as: UTF8.self) })")

        // The same monitor still catches an attack injected into the day after.
        let attackStart = 8 * 86_400 + 11 * 3600.0
        let attack = (0..<30).map { event(Samples.failedLogin("user\($0)", ip: "198.51.100.99"), at: attackStart + Double($0) * 10) }
        try await anomaly.write(attack)
        let caught = await monitor.events.compactMap { event -> String? in
            if case .alert(let alert) = event.payload { return alert.detector } else { return nil }
        }
        #expect(caught == ["credential_stuffing"])
    }
}
