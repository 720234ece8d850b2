/// Non-optional byte pointers for C functions declared `nonnull` (libsodium's are). The storage
/// always holds at least one byte, so its pointer is never nil, even for an empty value.
extension SecureBytes {
    init<E: Error>(count: Int, initializingPointer body: (UnsafeMutablePointer<UInt8>) throws(E) -> Void) throws(E) {
        precondition(count >= 0, "SecureBytes count must not be negative")
        let storage = Storage(count: count)
        try body(storage.pointer.assumingMemoryBound(to: UInt8.self))
        self.storage = storage
    }

    func withBytePointer<R, E: Error>(_ body: (UnsafePointer<UInt8>) throws(E) -> R) throws(E) -> R {
        try body(UnsafePointer(storage.pointer.assumingMemoryBound(to: UInt8.self)))
    }
}
