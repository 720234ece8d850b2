import Foundation

/// Conversions between `Date`/`TimeInterval` and the whole seconds X.509 uses, refusing values
/// that cannot be encoded instead of trapping on them.
enum UnixTime {
    /// Seconds since 1970, rounded down; years 0001–9999 only (the range of an ASN.1 time).
    static func seconds(_ date: Date) throws(CertificateError) -> Int64 {
        let value = date.timeIntervalSince1970.rounded(.down)
        guard value.isFinite, value >= -62_135_596_800, value <= 253_402_300_799, let seconds = Int64(exactly: value) else {
            throw CertificateError(code: .invalidParameter, message: "time \(date) is outside years 0001–9999")
        }
        return seconds
    }

    /// A positive duration in whole seconds, at most 100 years.
    static func duration(_ interval: TimeInterval, what: String) throws(CertificateError) -> Int64 {
        guard interval.isFinite, interval >= 1, interval <= 100 * 366 * 86_400 else {
            throw CertificateError(code: .invalidParameter, message: "\(what) must be between 1 second and 100 years")
        }
        return Int64(interval.rounded(.down))
    }
}
