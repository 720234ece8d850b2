public import Foundation
internal import CZeroTrustSodium

/// Secret bytes in memory this library owns, wiped with `sodium_memzero` when the last copy is
/// released.
///
/// `SecureBytes` is immutable after creation, so copies share one buffer safely across tasks.
/// Equality is constant-time, and the description never shows the bytes. Secrets that pass through
/// `[UInt8]` or `Data` leave copies the library cannot wipe: create secrets directly in place with
/// ``init(count:initializingWith:)`` where you can.
///
/// ```swift
/// let secret = SecureBytes(randomCount: 32)
/// let tag = secret.withUnsafeBytes { bytes in computeSomething(bytes) }
/// ```
public struct SecureBytes: Sendable, Equatable, ContiguousBytes, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// Owns the buffer. Sound as `@unchecked Sendable`: the bytes are written once in `init` and
    /// only read afterwards, and `deinit` runs when no copy can reach the buffer any more.
    final class Storage: @unchecked Sendable {
        let pointer: UnsafeMutableRawPointer
        let count: Int

        init(count: Int) {
            self.count = count
            // At least one byte so that the pointer is always valid and unique.
            self.pointer = UnsafeMutableRawPointer.allocate(byteCount: Swift.max(count, 1), alignment: 16)
            self.pointer.initializeMemory(as: UInt8.self, repeating: 0, count: Swift.max(count, 1))
        }

        deinit {
            wipe()
            pointer.deallocate()
        }

        /// Overwrites the buffer with zeros in a way the compiler cannot elide.
        func wipe() {
            sodium_memzero(pointer, Swift.max(count, 1))
        }
    }

    let storage: Storage

    /// Creates `count` bytes and lets `body` write them in place. If `body` throws, the partly
    /// written buffer is wiped and the error is rethrown.
    public init<E: Error>(count: Int, initializingWith body: (UnsafeMutableRawBufferPointer) throws(E) -> Void) throws(E) {
        precondition(count >= 0, "SecureBytes count must not be negative")
        let storage = Storage(count: count)
        try body(UnsafeMutableRawBufferPointer(start: storage.pointer, count: count))
        self.storage = storage
    }

    /// Copies `bytes` into secure storage. The caller remains responsible for its own copy.
    public init(copying bytes: some ContiguousBytes) {
        self = bytes.withUnsafeBytes { source in
            SecureBytes(count: source.count) { destination in
                if source.count > 0 { destination.copyMemory(from: source) }
            }
        }
    }

    /// `count` bytes from the operating system's CSPRNG.
    public init(randomCount count: Int) {
        self.init(count: count) { buffer in SecureRandom.fill(buffer) }
    }

    /// The number of bytes.
    public var count: Int { storage.count }

    /// Gives `body` read access to the bytes. Do not let the pointer escape `body`.
    public func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try body(UnsafeRawBufferPointer(start: storage.pointer, count: storage.count))
    }

    /// Compares in constant time for equal lengths; different lengths are unequal (lengths are not secret).
    public static func == (lhs: SecureBytes, rhs: SecureBytes) -> Bool {
        lhs.withUnsafeBytes { a in rhs.withUnsafeBytes { b in constantTimeEquals(a, b) } }
    }

    /// Redacted: `SecureBytes(32 bytes, redacted)`.
    public var description: String { "SecureBytes(\(count) bytes, redacted)" }
    /// Redacted, as ``description``.
    public var debugDescription: String { description }
    /// Redacted, so that `dump` and debuggers do not show the storage.
    public var customMirror: Mirror { Mirror(self, children: ["count": count]) }
}
