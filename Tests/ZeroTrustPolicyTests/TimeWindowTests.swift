import Foundation
import Testing
import ZeroTrustPolicy

/// Time windows: days, inclusive start, exclusive end, timezones, DST, and ttl capping.
@Suite struct TimeWindowTests {
    func windowed(_ window: TimeWindow, defaults: PolicyDefaults = PolicyDefaults(), ttl: Int? = nil) throws -> CompiledPolicySet {
        try single(Policy(id: "w", subjects: .init(roles: [.any]), resources: [ResourceMatcher(.any)], actions: [.any],
                          conditions: [.timeWindow(window.name)], ttl: ttl), windows: [window], defaults: defaults)
    }

    func allowed(_ set: CompiledPolicySet, _ time: String) throws -> Bool {
        set.authorize(try request(type: .dataset, action: .readData, time: time)).authorized
    }

    func ttl(_ set: CompiledPolicySet, _ time: String) throws -> Int? {
        set.authorize(try request(type: .dataset, action: .readData, time: time)).ttl
    }

    @Test func builtInBusinessHoursBoundaries() throws {
        let set = try single(Policy(id: "b", subjects: .init(roles: [.any]), resources: [ResourceMatcher(.any)], actions: [.any], conditions: [.businessHours]))
        #expect(try allowed(set, "2026-11-24T09:00:00Z"))      // start inclusive
        #expect(!(try allowed(set, "2026-11-24T08:59:59Z")))
        #expect(try allowed(set, "2026-11-24T16:59:59Z"))
        #expect(!(try allowed(set, "2026-11-24T17:00:00Z")))   // end exclusive
        #expect(try allowed(set, "2026-11-27T12:00:00Z"))      // Friday
        #expect(!(try allowed(set, "2026-11-28T12:00:00Z")))   // Saturday
        #expect(!(try allowed(set, "2026-11-29T12:00:00Z")))   // Sunday
        #expect(try allowed(set, "2026-11-23T12:00:00Z"))      // Monday
    }

    @Test func offsetsInRequestTimesAreHonoured() throws {
        let set = try single(Policy(id: "b", subjects: .init(roles: [.any]), resources: [ResourceMatcher(.any)], actions: [.any], conditions: [.businessHours]))
        // 18:30+09:00 is 09:30Z on the same Tuesday.
        #expect(try allowed(set, "2026-11-24T18:30:00+09:00"))
        // 08:00-05:00 on Monday is 13:00Z Monday.
        #expect(try allowed(set, "2026-11-23T08:00:00-05:00"))
        // 23:30-10:00 on Friday is 09:30Z Saturday.
        #expect(!(try allowed(set, "2026-11-27T23:30:00-10:00")))
    }

    @Test func fileDefaultTimezoneAppliesToBuiltInWindow() throws {
        let set = try single(Policy(id: "b", subjects: .init(roles: [.any]), resources: [ResourceMatcher(.any)], actions: [.any], conditions: [.businessHours]),
                             defaults: PolicyDefaults(timeZone: "Asia/Tokyo"))
        #expect(try allowed(set, "2026-11-24T00:30:00Z"))      // 09:30 in Tokyo
        #expect(!(try allowed(set, "2026-11-24T10:00:00Z")))   // 19:00 in Tokyo
    }

    @Test func windowInNewYorkAcrossMarchSwitch() throws {
        let ny = TimeWindow(name: "ny", days: [.monday, .tuesday, .wednesday, .thursday, .friday],
                            start: try #require(TimeOfDay("09:00")), end: try #require(TimeOfDay("17:00")), timeZone: "America/New_York")
        let set = try windowed(ny)
        // Friday 6 March 2026, EST (UTC-5): 13:30Z is 08:30, 14:30Z is 09:30.
        #expect(!(try allowed(set, "2026-03-06T13:30:00Z")))
        #expect(try allowed(set, "2026-03-06T14:30:00Z"))
        #expect(try allowed(set, "2026-03-06T21:59:00Z"))
        // Monday 9 March 2026, EDT (UTC-4): 13:30Z is 09:30, 21:30Z is 17:30.
        #expect(try allowed(set, "2026-03-09T13:30:00Z"))
        #expect(!(try allowed(set, "2026-03-09T21:30:00Z")))
        #expect(!(try allowed(set, "2026-03-09T12:59:59Z")))
    }

    @Test func windowInNewYorkAcrossNovemberSwitch() throws {
        let ny = TimeWindow(name: "ny", days: [.monday, .tuesday, .wednesday, .thursday, .friday],
                            start: try #require(TimeOfDay("09:00")), end: try #require(TimeOfDay("17:00")), timeZone: "America/New_York")
        let set = try windowed(ny)
        // Friday 30 October 2026, EDT: 13:30Z is 09:30.
        #expect(try allowed(set, "2026-10-30T13:30:00Z"))
        // Monday 2 November 2026, EST: 13:30Z is 08:30, 14:30Z is 09:30, 21:30Z is 16:30.
        #expect(!(try allowed(set, "2026-11-02T13:30:00Z")))
        #expect(try allowed(set, "2026-11-02T14:30:00Z"))
        #expect(try allowed(set, "2026-11-02T21:30:00Z"))
    }

    @Test func ttlIsCappedAtWindowClose() throws {
        let set = try single(Policy(id: "b", subjects: .init(roles: [.any]), resources: [ResourceMatcher(.any)], actions: [.any], conditions: [.businessHours]))
        #expect(try ttl(set, "2026-11-24T16:50:00Z") == 600)
        #expect(try ttl(set, "2026-11-24T16:59:59Z") == 1)
        #expect(try ttl(set, "2026-11-24T16:50:00.500Z") == 599)
        #expect(try ttl(set, "2026-11-24T10:00:00Z") == 3600)
    }

    @Test func ttlAcrossSpringForwardCountsRealSeconds() throws {
        // Sunday 8 March 2026: at 02:00 EST clocks jump to 03:00 EDT.
        let night = TimeWindow(name: "night", days: [.sunday], start: try #require(TimeOfDay("00:00")),
                               end: try #require(TimeOfDay("04:00")), timeZone: "America/New_York")
        let set = try windowed(night, ttl: 86_400)
        // 01:30 EST (06:30Z) → 04:00 EDT (08:00Z): 1.5 h of real time, not 2.5 h of wall-clock.
        #expect(try ttl(set, "2026-03-08T06:30:00Z") == 5400)
        // Sunday 1 November 2026: at 02:00 EDT clocks fall back to 01:00 EST.
        // 00:30 EDT (04:30Z) → 04:00 EST (09:00Z): 4.5 h.
        #expect(try ttl(set, "2026-11-01T04:30:00Z") == 16_200)
    }

    @Test func ttlUsesTheEarliestClosingWindow() throws {
        let early = TimeWindow(name: "early", days: Weekday.allCases, start: try #require(TimeOfDay("08:00")), end: try #require(TimeOfDay("12:00")))
        let set = try single(Policy(id: "two", subjects: .init(roles: [.any]), resources: [ResourceMatcher(.any)], actions: [.any],
                                    conditions: [.businessHours, .timeWindow("early")]), windows: [early])
        #expect(try ttl(set, "2026-11-24T11:00:00Z") == 3600)
        #expect(try ttl(set, "2026-11-24T11:45:00Z") == 900)
        #expect(!(try allowed(set, "2026-11-24T12:00:00Z")))
    }

    @Test func windowEndingAtMidnight() throws {
        let evening = TimeWindow(name: "evening", days: [.tuesday], start: try #require(TimeOfDay("20:00")), end: try #require(TimeOfDay("24:00")))
        let set = try windowed(evening)
        #expect(try allowed(set, "2026-11-24T23:59:59Z"))
        #expect(!(try allowed(set, "2026-11-25T00:00:00Z")))
        #expect(try ttl(set, "2026-11-24T23:00:00Z") == 3600)
        #expect(try ttl(set, "2026-11-24T23:30:00Z") == 1800)
    }

    @Test func zeroLengthWindowNeverHolds() throws {
        let none = TimeWindow(name: "none", days: Weekday.allCases, start: try #require(TimeOfDay("10:00")), end: try #require(TimeOfDay("10:00")))
        let set = try windowed(none)
        #expect(!(try allowed(set, "2026-11-24T10:00:00Z")))
    }

    @Test func timesBeforeTheEpochAreHandled() throws {
        let set = try single(Policy(id: "b", subjects: .init(roles: [.any]), resources: [ResourceMatcher(.any)], actions: [.any], conditions: [.businessHours]))
        // 1969-12-30 was a Tuesday.
        #expect(try allowed(set, "1969-12-30T10:00:00Z"))
        #expect(!(try allowed(set, "1969-12-28T10:00:00Z")))
    }
}
