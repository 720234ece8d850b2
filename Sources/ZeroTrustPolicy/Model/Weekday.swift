/// A day of the week, written `mon` … `sun` in policy files.
public enum Weekday: Int, CaseIterable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// Monday (`mon`).
    case monday = 1
    /// Tuesday (`tue`).
    case tuesday
    /// Wednesday (`wed`).
    case wednesday
    /// Thursday (`thu`).
    case thursday
    /// Friday (`fri`).
    case friday
    /// Saturday (`sat`).
    case saturday
    /// Sunday (`sun`).
    case sunday

    /// The three-letter lowercase name used in policy files.
    public var description: String {
        switch self {
        case .monday: "mon"
        case .tuesday: "tue"
        case .wednesday: "wed"
        case .thursday: "thu"
        case .friday: "fri"
        case .saturday: "sat"
        case .sunday: "sun"
        }
    }

    /// Parses `mon` … `sun` (lowercase, as written in policy files).
    public init?(name: String) {
        guard let day = Weekday.allCases.first(where: { $0.description == name }) else { return nil }
        self = day
    }

    /// Orders Monday first.
    public static func < (lhs: Weekday, rhs: Weekday) -> Bool { lhs.rawValue < rhs.rawValue }
}
