import Foundation

/// A ``TimeWindow`` resolved for evaluation: days as a bit mask, bounds in seconds, timezone
/// resolved once into an offset table. Per decision it needs a table lookup and integer
/// arithmetic.
struct CompiledTimeWindow: Sendable {
    let window: TimeWindow
    /// The identifier as written (Foundation may canonicalise `UTC` to `GMT`).
    let timeZoneName: String
    /// What deciding needs, apart from the names kept for explanations.
    let rule: TimeWindowRule

    init(_ window: TimeWindow, defaultTimeZone: String) throws(PolicyError) {
        let identifier = window.timeZone ?? defaultTimeZone
        guard let zone = TimeZone(identifier: identifier) else {
            throw PolicyError(code: .unknownTimeZone, message: "time window '\(window.name)': unknown timezone '\(identifier)'")
        }
        self.window = window
        timeZoneName = identifier
        rule = TimeWindowRule(dayMask: window.days.reduce(0) { $0 | UInt8(1) << UInt8($1.rawValue) },
                              startSecond: window.start.minutes * 60, endSecond: window.end.minutes * 60,
                              offsets: TimeZoneOffsetsCache.offsets(for: zone, identifier: identifier))
    }

    @inline(__always)
    func contains(_ date: Date) -> Bool { rule.contains(date) }

    /// `wed 18:00 America/New_York` style text for explanations.
    func describeLocal(_ date: Date) -> String {
        let t = Int(date.timeIntervalSince1970.rounded(.down))
        let l = rule.local(t)
        let day = Weekday(rawValue: l.weekday)?.description ?? "?"
        return "\(day) \(TimeOfDay(clampedMinutes: l.second / 60)) \(timeZoneName)"
    }

    var summary: String {
        "\(window.days.map(\.description).joined(separator: ",")) \(window.start)-\(window.end) \(timeZoneName)"
    }
}

/// A time window's arithmetic: days as a bit mask, bounds in seconds of the local day, and the
/// zone's offsets. It holds nothing reference-counted (the offsets' tables live for the process),
/// so the copy a permit makes to compute its ttl counts no reference on memory every core shares.
struct TimeWindowRule: Sendable {
    /// Bit `weekday.rawValue` set for each open day (Monday = 1 … Sunday = 7).
    let dayMask: UInt8
    let startSecond: Int
    let endSecond: Int
    /// The zone's offsets, precomputed.
    let offsets: TimeZoneOffsets

    /// Local weekday and second of day at `seconds` since the epoch (floored), DST-correct.
    @inline(__always)
    func local(_ seconds: Int) -> (weekday: Int, second: Int, offset: Int) {
        let offset = offsets.offset(at: seconds)
        let local = seconds + offset
        let day = local >= 0 ? local / 86_400 : -((-local + 86_399) / 86_400)
        let second = local - day * 86_400
        let weekday = ((day % 7 + 7 + 3) % 7) + 1  // 1970-01-01 was a Thursday (4)
        return (weekday, second, offset)
    }

    @inline(__always)
    func contains(_ date: Date) -> Bool {
        let l = local(Int(date.timeIntervalSince1970.rounded(.down)))
        return dayMask & (UInt8(1) << UInt8(l.weekday)) != 0 && l.second >= startSecond && l.second < endSecond
    }

    /// Whole seconds from `date` (inside the window) until the window closes today, DST-correct:
    /// the closing wall-clock time is converted back with the offset in force at closing.
    func secondsUntilClose(_ date: Date) -> Int {
        let exact = date.timeIntervalSince1970
        let t = Int(exact.rounded(.down))
        let l = local(t)
        let closeLocal = t + l.offset - l.second + endSecond
        let guess = closeLocal - l.offset
        let closeOffset = offsets.offset(at: guess)
        let close = closeLocal - closeOffset
        return max(0, Int((Double(close) - exact).rounded(.down)))
    }
}
