import Foundation

/// The demo's clock: set to each scenario's time, so the transcript is the same on any day.
final class DemoClock: @unchecked Sendable {
    // Set from the demo's one task; the lock makes reads from the gatekeeper's tasks safe.
    private let lock = NSLock()
    private var current: Date
    init(_ start: Date) { current = start }
    var now: Date {
        get { lock.withLock { current } }
        set { lock.withLock { current = newValue } }
    }
    var function: @Sendable () -> Date { { [self] in self.now } }
}
