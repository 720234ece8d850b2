import Foundation
import Testing
@testable import ZeroTrustPolicy

/// The precomputed offset tables the engine uses instead of calling Foundation per decision.
@Suite struct TimeZoneOffsetsTests {
    @Test(arguments: ["America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "Asia/Kolkata", "America/Sao_Paulo", "Pacific/Apia"])
    func tableMatchesFoundationAroundEveryTransition(identifier: String) throws {
        let zone = try #require(TimeZone(identifier: identifier))
        let table = TimeZoneOffsetsCache.offsets(for: zone, identifier: identifier)
        // The table is in use (not the fallback) over its whole range.
        #expect(table.validFrom == TimeZoneOffsets.rangeStart)
        #expect(table.validUntil == TimeZoneOffsets.rangeEnd)
        for t in Array(table.transitions) + [0, 1_795_600_800, 4_102_444_799] {
            for probe in [t - 1, t, t + 1, t + 86_400] {
                #expect(table.offset(at: probe) == zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(probe))),
                        "\(identifier) at \(probe)")
            }
        }
    }

    @Test func newYorkHasTwoTransitionsPerYearSince2007() throws {
        let table = TimeZoneOffsetsCache.offsets(for: try #require(TimeZone(identifier: "America/New_York")), identifier: "America/New_York")
        let in2026 = table.transitions.filter { (1_767_225_600..<1_798_761_600).contains($0) }  // 2026
        #expect(in2026 == [1_772_953_200, 1_793_512_800])  // 2026-03-08T07:00Z, 2026-11-01T06:00Z
        #expect(table.fixed == nil)
    }

    @Test func utcIsFixed() throws {
        let table = TimeZoneOffsetsCache.offsets(for: try #require(TimeZone(identifier: "UTC")), identifier: "UTC")
        #expect(table.fixed == 0)
        let kolkata = TimeZoneOffsetsCache.offsets(for: try #require(TimeZone(identifier: "Asia/Kolkata")), identifier: "Asia/Kolkata")
        #expect(kolkata.offset(at: 1_795_600_800) == 19_800)
    }

    @Test func outsideTheTableFoundationIsAsked() throws {
        let zone = try #require(TimeZone(identifier: "America/New_York"))
        let table = TimeZoneOffsetsCache.offsets(for: zone, identifier: "America/New_York")
        let summer2150 = 5_694_854_400  // 2150-06-18
        #expect(table.offset(at: summer2150) == zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(summer2150))))
        #expect(table.offset(at: -1_000_000_000) == zone.secondsFromGMT(for: Date(timeIntervalSince1970: -1_000_000_000)))
    }
}
