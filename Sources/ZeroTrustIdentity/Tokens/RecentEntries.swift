/// The entries a verifier's cache keeps (``HeaderCache``, ``CustomClaimsCache``): at most
/// `capacity`, the newest replacing the oldest once full (round robin). Lookups read ``entries``.
struct RecentEntries<Entry> {
    private(set) var entries: [Entry] = []
    /// The slot the next entry replaces once full.
    private var next = 0
    private let capacity: Int

    init(capacity: Int) { self.capacity = max(1, capacity) }

    /// Puts `entry` in place of the first entry `isSame` selects, or else adds it, in place of the
    /// oldest when full.
    mutating func insert(_ entry: Entry, replacingFirstWhere isSame: (Entry) -> Bool = { _ in false }) {
        if let same = entries.firstIndex(where: isSame) {
            entries[same] = entry
        } else if entries.count < capacity {
            entries.append(entry)
        } else {
            entries[next] = entry
            next = (next + 1) % capacity
        }
    }

    /// Removes the first entry `matches` selects, if any.
    mutating func removeFirst(where matches: (Entry) -> Bool) {
        if let index = entries.firstIndex(where: matches) { entries.remove(at: index) }
    }
}
