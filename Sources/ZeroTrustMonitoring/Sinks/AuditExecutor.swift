import Foundation
import Synchronization

/// The thread every `AuditLog`'s transfer and writer tasks run on: one per process, outside
/// Swift's cooperative pool.
///
/// Encoding and handing events to sinks is steady background work. On the cooperative pool it
/// took turns with the requests it records (on two cores the pool has two threads, and a host
/// such as a benchmark runner may block one of them), so the requests waited behind whole batches
/// of encoding. On a thread of its own the OS scheduler shares the cores between the two. File
/// writes and fsyncs go through their own queue (`BlockingIOQueue`) and waits are `await`s; a
/// sink that does block (a full stdout pipe) now delays audit work only, not the pool.
final class AuditExecutor: TaskExecutor {
    static let shared = AuditExecutor()

    private let jobs = Mutex<[UnownedJob]>([])
    private let available = DispatchSemaphore(value: 0)

    private init() {
        // Serves the process for its whole life, as the pool's threads do.
        let thread = Thread { [self] in run() }
        thread.name = "zerotrust-audit"
        thread.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        jobs.withLock { $0.append(job) }
        available.signal()
    }

    private func run() {
        while true {
            available.wait()
            // Everything queued so far, in order; later signals find the queue empty and go on.
            let ready = jobs.withLock { jobs in
                defer { jobs.removeAll(keepingCapacity: true) }
                return jobs
            }
            for job in ready { job.runSynchronously(on: asUnownedTaskExecutor()) }
        }
    }
}
