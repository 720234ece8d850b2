import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// RFC 3339 UTC timestamps with microseconds (`2026-11-27T03:10:36.123456Z`), formatted and parsed
/// by hand: fixed width, locale-free, and fast enough for the append path.
enum RFC3339 {
    /// Microseconds since 1970, rounded: the precision events carry.
    static func microseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
    }

    /// `date` rounded to whole microseconds, so that formatting and parsing give back an equal `Date`.
    static func normalized(_ date: Date) -> Date {
        Date(timeIntervalSince1970: Double(microseconds(date)) / 1_000_000)
    }

    /// The length of a formatted timestamp.
    static let byteCount = 27

    /// Writes `YYYY-MM-DDTHH:MM:SS.ffffffZ` (``byteCount`` bytes) into `text` without allocating
    /// (civil-from-days after Howard Hinnant's algorithm, valid for years 0…9999).
    static func format(_ date: Date, into text: UnsafeMutableBufferPointer<UInt8>) {
        let total = microseconds(date)
        var days = total / 86_400_000_000
        var rest = total % 86_400_000_000
        if rest < 0 { rest += 86_400_000_000; days -= 1 }
        days += 719_468
        let era = (days >= 0 ? days : days - 146_096) / 146_097
        let dayOfEra = days - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        var position = 0
        @inline(__always) func digits(_ value: Int64, _ width: Int) {
            var value = value
            for index in stride(from: position + width - 1, through: position, by: -1) {
                text[index] = UInt8(truncatingIfNeeded: 0x30 + value % 10)
                value /= 10
            }
            position += width
        }
        func separator(_ byte: UInt8) {
            text[position] = byte
            position += 1
        }
        digits(year, 4); separator(0x2d); digits(month, 2); separator(0x2d); digits(day, 2)
        separator(0x54)
        digits(rest / 3_600_000_000, 2); separator(0x3a)
        digits(rest / 60_000_000 % 60, 2); separator(0x3a)
        digits(rest / 1_000_000 % 60, 2); separator(0x2e)
        digits(rest % 1_000_000, 6); separator(0x5a)
    }

    static func format(_ date: Date) -> String {
        let total = microseconds(date)
        let seconds = Int(total.quotientAndRemainder(dividingBy: 1_000_000).quotient - (total < 0 && total % 1_000_000 != 0 ? 1 : 0))
        let micros = Int(total - Int64(seconds) * 1_000_000)
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
        }
        return "\(pad(Int(parts.tm_year) + 1900, 4))-\(pad(Int(parts.tm_mon) + 1, 2))-\(pad(Int(parts.tm_mday), 2))T"
            + "\(pad(Int(parts.tm_hour), 2)):\(pad(Int(parts.tm_min), 2)):\(pad(Int(parts.tm_sec), 2)).\(pad(micros, 6))Z"
    }

    /// Parses `YYYY-MM-DDTHH:MM:SS[.fraction]Z` (UTC only; `z` and `t` accepted as RFC 3339 allows).
    static func parse(_ text: String) -> Date? {
        let utf8 = Array(text.utf8)
        guard utf8.count >= 20, utf8[4] == 0x2d, utf8[7] == 0x2d, utf8[10] == 0x54 || utf8[10] == 0x74,
              utf8[13] == 0x3a, utf8[16] == 0x3a, let last = utf8.last, last == 0x5a || last == 0x7a
        else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                let digit = Int(utf8[index]) - 0x30
                guard (0...9).contains(digit) else { return nil }
                value = value * 10 + digit
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        // Fractions beyond microseconds are accepted and rounded to the precision events carry.
        var fraction = 0.0
        if utf8.count > 20 {
            guard utf8[19] == 0x2e, utf8.count > 21 else { return nil }
            var scale = 0.1
            for index in 20..<(utf8.count - 1) {
                let digit = Int(utf8[index]) - 0x30
                guard (0...9).contains(digit) else { return nil }
                fraction += Double(digit) * scale
                scale /= 10
            }
        }
        let micros = Int64((fraction * 1_000_000).rounded())
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month - 1)
        parts.tm_mday = Int32(day)
        parts.tm_hour = Int32(hour)
        parts.tm_min = Int32(minute)
        parts.tm_sec = Int32(second)
        let seconds = timegm(&parts)
        // timegm normalises out-of-range days (Feb 30 → Mar 2); reject those.
        guard Int(parts.tm_mday) == day, Int(parts.tm_mon) == month - 1 else { return nil }
        return Date(timeIntervalSince1970: Double(Int64(seconds) * 1_000_000 + micros) / 1_000_000)
    }
}
