import Dispatch

/// A serial dispatch queue for one sink's blocking system calls (`write`, `fdatasync`, `send`).
///
/// Swift's cooperative pool has one thread per core, and a task blocked in `fdatasync` or in a
/// `send` to a slow receiver holds one of them for as long as the kernel takes; two such sinks on
/// a two-core machine stop every other task of the process. Work submitted here runs on a
/// dispatch thread outside that pool while the calling task is suspended. The queue is serial, so
/// it also serialises the sink's state: a sink that touches its state only here needs no lock.
/// The hop there and back costs tens of microseconds on a busy machine, so it pays for calls that
/// can block for long, not for a `write(2)` into the page cache.
struct BlockingIOQueue: Sendable {
    private let queue: DispatchQueue

    init(label: String) {
        queue = DispatchQueue(label: label)
    }

    /// Queues `body` without waiting for it (work whose failures the sink records itself).
    func submit(_ body: @escaping @Sendable () -> Void) {
        queue.async(execute: body)
    }

    /// Runs `body` on the queue and returns its result once it has finished.
    func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result(catching: body)) }
        }
    }
}
