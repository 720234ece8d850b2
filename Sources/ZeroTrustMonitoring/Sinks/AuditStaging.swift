import Foundation
import Synchronization
internal import ZeroTrustCPULocal

/// Where an ``AuditLog`` whose destinations are all ``DeliveryMode/batch`` stamps events: one
/// queue per CPU, so recorders on different cores share no lock and no queue, only the sequence
/// counter. A single transfer at a time moves staged events, in sequence order, to the
/// destinations' queues.
///
/// Ordering: an event's sequence is drawn and the event appended under its CPU's lock, so each
/// CPU's queue is in sequence order. A transfer first reads the counter (`watermark`), then empties
/// every CPU's queue: any event numbered up to the watermark was appended before its lock could
/// be taken, so all of them are in hand. It passes those on sorted and keeps later ones for the
/// next transfer. Nothing is moved twice or lost: events leave a CPU's queue only under the
/// transfer lock.
///
/// Closing: ``close()`` sets the closed flag and then takes every CPU's lock once, so a recorder
/// either finished staging before (its event is moved by the next transfer) or sees the flag.
///
/// Bounded: a CPU's queue holds at most `capacity` events (the log's queue capacity). Beyond that
/// an event is stamped but dropped for every destination, as a full `batch` queue drops it, and
/// counted; the next transfer hands the count on.
final class AuditStaging: Sendable {
    /// One CPU's staged events, padded so that two CPUs' locks never share a cache line.
    private final class Stage: Sendable {
        let events = Mutex<[AuditEvent]>([])
        private let padding = CacheLinePadding()
    }

    private let stages = (0..<CPULocal.copies).map { _ in Stage() }
    private let capacity: Int
    /// Events dropped because their CPU's queue was full, not yet handed on.
    private let dropped = Atomic<Int>(0)
    /// On cache lines of its own: every record on every core adds to it, and the flags every
    /// record reads (`closed`, `transferring`) would otherwise move between the cores with it.
    private let paddingBeforeSequence = CacheLinePadding()
    private let sequence = Atomic<UInt64>(0)
    private let paddingAfterSequence = CacheLinePadding()
    private let closed = Atomic<Bool>(false)
    /// A transfer task exists (see ``claimTransferTask()``).
    private let transferring = Atomic<Bool>(false)
    /// Held for a whole transfer; holds the events numbered above the last watermark.
    private let transferLock = Mutex<[AuditEvent]>([])

    init(capacity: Int) { self.capacity = max(1, capacity) }

    /// Stamps `event` with the next sequence (and the time, unless `keepingTime`) and stages it;
    /// nil once the log is closed.
    func stamp(_ event: AuditEvent, keepingTime: Bool, clock: @Sendable () -> Date) -> AuditEvent? {
        stages[CPULocal.index(stages.count)].events.withLock { events in
            guard !closed.load(ordering: .sequentiallyConsistent) else { return nil }
            var event = event
            event.sequence = sequence.add(1, ordering: .relaxed).newValue
            if !keepingTime { event.time = clock() }
            if events.count < capacity { events.append(event) } else { dropped.add(1, ordering: .relaxed) }
            return event
        }
    }

    /// Whether the caller must start a transfer task: true for exactly one caller until that task
    /// ends (``releaseTransferTask()``). Read first, so that while a task runs this costs a
    /// recorder one read of a line nobody writes.
    func claimTransferTask() -> Bool {
        !transferring.load(ordering: .sequentiallyConsistent)
            && transferring.compareExchange(expected: false, desired: true, ordering: .sequentiallyConsistent).exchanged
    }

    /// Ends the transfer task, unless events were staged meanwhile (a recorder may have seen the
    /// task still running and not started one): then the task keeps the claim and returns false.
    func releaseTransferTask() -> Bool {
        transferring.store(false, ordering: .sequentiallyConsistent)
        guard isPending else { return true }
        return !claimTransferTask()
    }

    /// Whether any event is staged or held back, or a drop not yet handed on.
    var isPending: Bool {
        dropped.load(ordering: .sequentiallyConsistent) > 0 || !transferLock.withLock { $0.isEmpty }
            || stages.contains { stage in stage.events.withLock { !$0.isEmpty } }
    }

    /// Drops not yet handed on by a transfer.
    var pendingDrops: Int { dropped.load(ordering: .relaxed) }

    var isClosed: Bool { closed.load(ordering: .sequentiallyConsistent) }

    /// Moves every staged event numbered up to the current watermark to `deliver`, in sequence
    /// order, with the number of events dropped since the last transfer, while holding the
    /// transfer lock (so deliveries never overlap). Returns how many events it moved.
    /// `afterReadingWatermark` runs between reading the watermark and emptying the queues: tests
    /// stamp events there to be numbered past it, as recorders on other cores can.
    @discardableResult
    func transfer(afterReadingWatermark: () -> Void = {}, _ deliver: (_ events: [AuditEvent], _ dropped: Int) -> Void) -> Int {
        transferLock.withLock { held in
            // Read first: an exchange would write the line every record reads `stages` from, on
            // every transfer, though drops are rare.
            let drops = dropped.load(ordering: .relaxed) == 0 ? 0 : dropped.exchange(0, ordering: .relaxed)
            let watermark = sequence.load(ordering: .sequentiallyConsistent)
            afterReadingWatermark()
            var taken = held
            for stage in stages {
                stage.events.withLock { events in
                    // The first batch is taken whole (no copy of each event, whose counts would
                    // be written from this core while the recording core still owns them).
                    if taken.isEmpty { swap(&taken, &events) } else { taken.append(contentsOf: events); events.removeAll() }
                }
            }
            taken.sort { $0.sequence < $1.sequence }
            let ready = taken.partitioningIndex { $0.sequence > watermark }
            // The few events past the watermark are copied out and cut off; the rest are handed
            // on in the same buffer (copying them would count every string they hold again, from
            // this core, while the recording cores still own those counts).
            held = Array(taken[ready...])
            taken.removeSubrange(ready...)
            guard ready > 0 || drops > 0 else { return 0 }
            deliver(taken, drops)
            return ready
        }
    }

    /// Refuses further events; every event staged before is still transferred.
    func close() {
        closed.store(true, ordering: .sequentiallyConsistent)
        for stage in stages { stage.events.withLock { _ in } }
    }
}

extension Array {
    /// The index of the first element of a partitioned array (all non-matching, then all
    /// matching) for which `belongs` holds; `count` when none does.
    fileprivate func partitioningIndex(where belongs: (Element) -> Bool) -> Int {
        var low = 0, high = count
        while low < high {
            let mid = (low + high) / 2
            if belongs(self[mid]) { high = mid } else { low = mid + 1 }
        }
        return low
    }
}
