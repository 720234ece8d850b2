import Foundation
import Synchronization

/// Process-wide cache of ``TimeZoneOffsets`` tables by timezone identifier, used while compiling
/// (building a table costs a few thousand Foundation calls; deciding costs none) and, for the rare
/// instant a table does not answer, to find its zone.
enum TimeZoneOffsetsCache {
    private static let state = Mutex<(tables: [String: TimeZoneOffsets], zones: [TimeZone])>(([:], []))

    /// The table for `zone`, built on first use under the lock (so no two threads build the same
    /// one: tables are never freed) and kept for the life of the process.
    static func offsets(for zone: TimeZone, identifier: String) -> TimeZoneOffsets {
        state.withLock { state in
            if let cached = state.tables[identifier] { return cached }
            let built = TimeZoneOffsets(zone, identifier: identifier, zoneNumber: state.zones.count)
            state.zones.append(zone)
            state.tables[identifier] = built
            return built
        }
    }

    /// The zone a table was built for, by its number (for instants outside the table).
    static func zone(number: Int) -> TimeZone {
        state.withLock { $0.zones[number] }
    }
}
