import Foundation

/// Per-key sliding windows with a once-per-window alert cooldown and bounded memory: the shared
/// core of the counting detectors (credential stuffing, brute force, denied burst).
struct WindowedCounter {
    private var table: TrackedTable<(window: SlidingWindow, lastAlert: Date?)>
    private let span: TimeInterval
    private let capacity: Int

    /// Windows of `span` seconds holding at most `capacity` occurrences, for at most `maximumTracked` keys.
    init(span: TimeInterval, capacity: Int, maximumTracked: Int) {
        table = TrackedTable(maximum: maximumTracked, idle: span)
        self.span = span
        self.capacity = capacity
    }

    var count: Int { table.count }

    /// Adds `event` under `key` (with `detail` for distinct counting). Returns the window when
    /// `fires` says it crosses the threshold and the key has not alerted within the last window.
    mutating func add(_ event: AuditEvent, key: String, detail: String?, fires: (SlidingWindow) -> Bool) -> SlidingWindow? {
        let (span, capacity) = (span, capacity)
        return table.update(key, now: event.time, make: { (SlidingWindow(span: span, capacity: capacity), nil) }) { state in
            state.window.add(time: event.time, id: event.id, key: detail)
            if let last = state.lastAlert, event.time.timeIntervalSince(last) < span { return nil }
            guard fires(state.window) else { return nil }
            state.lastAlert = event.time
            return state.window
        }
    }
}
