import Foundation

/// Timestamped occurrences within a trailing time window, capped in length: the shared memory of
/// the counting detectors.
struct SlidingWindow {
    struct Entry {
        let time: Date
        let id: UUID
        let key: String?
    }

    private(set) var entries: [Entry] = []
    let span: TimeInterval
    let capacity: Int

    init(span: TimeInterval, capacity: Int) {
        self.span = span
        self.capacity = max(1, capacity)
    }

    /// Adds an occurrence at `time`, dropping those older than the window and beyond the cap.
    mutating func add(time: Date, id: UUID, key: String? = nil) {
        entries.append(Entry(time: time, id: id, key: key))
        prune(now: time)
        if entries.count > capacity { entries.removeFirst(entries.count - capacity) }
    }

    private mutating func prune(now: Date) {
        let cutoff = now.addingTimeInterval(-span)
        if let firstInside = entries.firstIndex(where: { $0.time > cutoff }) {
            if firstInside > 0 { entries.removeFirst(firstInside) }
        } else {
            entries.removeAll()
        }
    }

    var count: Int { entries.count }
    var distinctKeys: Int { Set(entries.compactMap(\.key)).count }
    /// The most recent event ids, as alert evidence.
    func evidence(limit: Int = 20) -> [UUID] { entries.suffix(limit).map(\.id) }
}
