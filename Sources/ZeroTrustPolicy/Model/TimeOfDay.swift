/// A wall-clock time of day in minutes, written `"HH:MM"` (`00:00` … `24:00`).
public struct TimeOfDay: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Minutes since local midnight, 0 … 1440.
    public let minutes: Int

    /// Creates a time of day; `nil` unless `0 <= hour*60+minute <= 1440` with `minute < 60`.
    public init?(hour: Int, minute: Int) {
        guard (0...24).contains(hour), (0..<60).contains(minute), hour * 60 + minute <= 1440 else { return nil }
        minutes = hour * 60 + minute
    }

    /// Creates a time of day from minutes since midnight, clamped to 0 … 1440.
    public init(clampedMinutes: Int) { minutes = min(max(clampedMinutes, 0), 1440) }

    /// Parses `HH:MM` (two digits each).
    public init?(_ text: String) {
        let utf8 = Array(text.utf8)
        guard utf8.count == 5, utf8[2] == UInt8(ascii: ":"),
              utf8.enumerated().allSatisfy({ $0.offset == 2 || (48...57).contains($0.element) })
        else { return nil }
        let digit = { (i: Int) in Int(utf8[i]) - 48 }
        self.init(hour: digit(0) * 10 + digit(1), minute: digit(3) * 10 + digit(4))
    }

    /// `HH:MM`.
    public var description: String {
        let h = minutes / 60, m = minutes % 60
        return (h < 10 ? "0" : "") + String(h) + ":" + (m < 10 ? "0" : "") + String(m)
    }

    /// Orders by minutes since midnight.
    public static func < (lhs: TimeOfDay, rhs: TimeOfDay) -> Bool { lhs.minutes < rhs.minutes }
}
