/// A named recurring window of local time: some days of the week, from `start` (inclusive) to
/// `end` (exclusive), in a timezone (the window's own, or the policy file's default).
///
/// Windows do not wrap past midnight; `end` may be `24:00`. A window with `start == end` never
/// holds (and `zt policy lint` reports it).
public struct TimeWindow: Hashable, Sendable {
    /// The name conditions refer to, such as `business_hours`.
    public var name: String
    /// The days on which the window opens, sorted Monday first, without duplicates.
    public var days: [Weekday]
    /// Opening time (inclusive).
    public var start: TimeOfDay
    /// Closing time (exclusive).
    public var end: TimeOfDay
    /// An IANA timezone identifier; `nil` means the policy set's default timezone.
    public var timeZone: String?

    /// Creates a window. Days are sorted and de-duplicated.
    public init(name: String, days: [Weekday], start: TimeOfDay, end: TimeOfDay, timeZone: String? = nil) {
        self.name = name
        self.days = Array(Set(days)).sorted()
        self.start = start
        self.end = end
        self.timeZone = timeZone
    }

    /// The name of the built-in window.
    public static let businessHoursName = "business_hours"

    /// The built-in `business_hours`: Monday to Friday, 09:00–17:00, in the default timezone.
    /// A file that declares `business_hours` itself overrides it.
    public static var businessHours: TimeWindow {
        TimeWindow(
            name: businessHoursName,
            days: [.monday, .tuesday, .wednesday, .thursday, .friday],
            start: TimeOfDay(clampedMinutes: 9 * 60),
            end: TimeOfDay(clampedMinutes: 17 * 60)
        )
    }
}
