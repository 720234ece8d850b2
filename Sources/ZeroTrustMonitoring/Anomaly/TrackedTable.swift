import Foundation

/// A dictionary of per-key detector state that stays bounded: once it holds more than `maximum`
/// keys it forgets those idle for longer than `idle`, then, if still too big, the least recently
/// seen, down to 90% of `maximum`.
struct TrackedTable<Value> {
    private var values: [String: (value: Value, lastSeen: Date)] = [:]
    let maximum: Int
    let idle: TimeInterval

    init(maximum: Int, idle: TimeInterval) {
        self.maximum = max(1, maximum)
        self.idle = idle
    }

    var count: Int { values.count }

    /// Runs `body` on the key's value (created by `make` when missing) and marks it seen at `now`.
    mutating func update<R>(_ key: String, now: Date, make: () -> Value, _ body: (inout Value) -> R) -> R {
        var entry = values[key] ?? (make(), now)
        let result = body(&entry.value)
        entry.lastSeen = now
        values[key] = entry
        if values.count > maximum { evict(now: now) }
        return result
    }

    private mutating func evict(now: Date) {
        let cutoff = now.addingTimeInterval(-idle)
        values = values.filter { $0.value.lastSeen > cutoff }
        let target = max(1, maximum * 9 / 10)
        if values.count > target {
            let oldest = values.sorted { $0.value.lastSeen < $1.value.lastSeen }.prefix(values.count - target)
            for (key, _) in oldest { values.removeValue(forKey: key) }
        }
    }
}
