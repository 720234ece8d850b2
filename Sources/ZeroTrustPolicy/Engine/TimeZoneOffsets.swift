import Foundation
import Synchronization

/// A timezone's UTC offsets as a precomputed transition table, so that deciding needs no
/// Foundation call (no lock, no allocation): a binary search over integer instants.
///
/// The table covers 1970–2100. It is built from `nextDaylightSavingTimeTransition(after:)` and
/// then checked against `secondsFromGMT(for:)` about weekly across the range; if the two ever
/// disagree (a zone whose offset changes other than through a reported transition) the table is
/// discarded and every lookup asks Foundation. Instants outside the range also ask Foundation.
///
/// The value counts no reference: the tables, and the box holding the zone for the instants they
/// do not answer, are allocated once per zone and kept for the life of the process (only
/// ``TimeZoneOffsetsCache``, below, builds them, and it never forgets one). Every permit with a
/// time window copies its offsets, and a counted reference in them would be counted by every core
/// deciding. `@unchecked Sendable`: the tables are immutable once built and never freed, and the
/// zone box is an immutable `Sendable` object that is never released.
struct TimeZoneOffsets: @unchecked Sendable {
    /// The zone, for instants the table does not answer; retained once and never released.
    private let zone: Unmanaged<ZoneBox>
    /// Constant offset for zones that never change (UTC and friends).
    let fixed: Int?
    /// Sorted instants (seconds since the epoch) at which the offset changes.
    let transitions: UnsafeBufferPointer<Int>
    /// `offsets[0]` applies before `transitions[0]`; `offsets[i + 1]` from `transitions[i]` on.
    let offsets: UnsafeBufferPointer<Int>
    let validFrom: Int
    let validUntil: Int

    static let rangeStart = 0                 // 1970-01-01T00:00:00Z
    static let rangeEnd = 4_102_444_800       // 2100-01-01T00:00:00Z

    /// Builds the table; only ``TimeZoneOffsetsCache`` calls this (the tables are never freed).
    fileprivate init(_ zone: TimeZone, identifier: String) {
        self.zone = Unmanaged.passRetained(ZoneBox(zone))
        if ["UTC", "GMT", "Etc/UTC", "Etc/GMT", "Etc/Universal", "Universal", "Zulu", "Etc/Zulu"].contains(zone.identifier)
            || ["UTC", "GMT"].contains(identifier)
        {
            fixed = 0
            transitions = Self.permanent([])
            offsets = Self.permanent([0])
            validFrom = Int.min
            validUntil = Int.max
            return
        }
        var transitions: [Int] = []
        var offsets = [zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(Self.rangeStart)))]
        var cursor = Date(timeIntervalSince1970: Double(Self.rangeStart))
        while let next = zone.nextDaylightSavingTimeTransition(after: cursor), next.timeIntervalSince1970 < Double(Self.rangeEnd) {
            let instant = Int(next.timeIntervalSince1970.rounded(.down))
            let offset = zone.secondsFromGMT(for: next)
            if offset != offsets[offsets.count - 1] {
                transitions.append(instant)
                offsets.append(offset)
            }
            cursor = next
        }
        let transitionTable = Self.permanent(transitions), offsetTable = Self.permanent(offsets)
        var consistent = true
        var t = Self.rangeStart
        while t < Self.rangeEnd, consistent {
            consistent = Self.lookup(t, transitionTable, offsetTable) == zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(t)))
            t += 7 * 86_400 + 3600  // weekly, drifting through the hours of the day
        }
        fixed = transitions.isEmpty && consistent ? offsets[0] : nil
        self.transitions = transitionTable
        self.offsets = offsetTable
        validFrom = consistent ? Self.rangeStart : Int.max
        validUntil = consistent ? Self.rangeEnd : Int.min
    }

    /// `values` copied to memory that is never freed (see the type's note).
    private static func permanent(_ values: [Int]) -> UnsafeBufferPointer<Int> {
        let table = UnsafeMutableBufferPointer<Int>.allocate(capacity: max(1, values.count))
        _ = table.initialize(from: values)
        return UnsafeBufferPointer(rebasing: table[..<values.count])
    }

    @inline(__always)
    static func lookup(_ t: Int, _ transitions: UnsafeBufferPointer<Int>, _ offsets: UnsafeBufferPointer<Int>) -> Int {
        var low = 0, high = transitions.count
        while low < high {
            let mid = (low + high) / 2
            if transitions[mid] <= t { low = mid + 1 } else { high = mid }
        }
        return offsets[low]
    }

    /// The UTC offset in force at `seconds` since the epoch.
    @inline(__always)
    func offset(at seconds: Int) -> Int {
        if let fixed { return fixed }
        if seconds >= validFrom && seconds < validUntil { return Self.lookup(seconds, transitions, offsets) }
        return zone._withUnsafeGuaranteedRef { $0.zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(seconds))) }
    }
}

/// A zone kept for the life of the process behind an unmanaged reference (see ``TimeZoneOffsets``).
private final class ZoneBox: Sendable {
    let zone: TimeZone
    init(_ zone: TimeZone) { self.zone = zone }
}

/// Process-wide cache of ``TimeZoneOffsets`` tables by timezone identifier, used while compiling
/// (building a table costs a few thousand Foundation calls; deciding costs none). In this file so
/// that nothing else can build a table: each one lives for the rest of the process.
enum TimeZoneOffsetsCache {
    private static let tables = Mutex<[String: TimeZoneOffsets]>([:])

    /// The table for `zone`, built on first use under the lock (so no two threads build the same
    /// one) and kept for the life of the process.
    static func offsets(for zone: TimeZone, identifier: String) -> TimeZoneOffsets {
        tables.withLock { tables in
            if let cached = tables[identifier] { return cached }
            let built = TimeZoneOffsets(zone, identifier: identifier)
            tables[identifier] = built
            return built
        }
    }
}
