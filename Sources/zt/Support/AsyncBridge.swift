import Foundation

/// Runs async library code (actors, sinks) from a synchronous command: `main.swift` drives commands
/// synchronously to map every failure to the documented exit codes.
enum AsyncBridge {
    private final class Box<T: Sendable>: @unchecked Sendable {
        // @unchecked: written once by the task before `signal`, read after `wait`.
        var value: T?
    }

    static func wait<T: Sendable>(_ body: @escaping @Sendable () async -> T) -> T? {
        let semaphore = DispatchSemaphore(value: 0)
        let box = Box<T>()
        Task {
            box.value = await body()
            semaphore.signal()
        }
        semaphore.wait()
        return box.value
    }
}
