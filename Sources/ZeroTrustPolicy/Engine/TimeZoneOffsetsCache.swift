import Foundation
import Synchronization

/// Process-wide cache of ``TimeZoneOffsets`` tables by timezone identifier, used only while
/// compiling (building a table costs a few thousand Foundation calls; deciding costs none).
enum TimeZoneOffsetsCache {
    private static let tables = Mutex<[String: TimeZoneOffsets]>([:])

    static func offsets(for zone: TimeZone, identifier: String) -> TimeZoneOffsets {
        if let cached = tables.withLock({ $0[identifier] }) { return cached }
        let built = TimeZoneOffsets(zone, identifier: identifier)
        tables.withLock { $0[identifier] = built }
        return built
    }
}
