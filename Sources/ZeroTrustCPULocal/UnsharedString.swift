extension String {
    /// An equal string with storage of its own, for a CPU's copy of a value (`CPULocal`): copies
    /// of a `String` share one buffer, and every core counting references on it takes turns on its
    /// cache line. Strings of up to 15 UTF-8 bytes are stored inline and are returned as they are.
    package var unsharedCopy: String {
        utf8.count <= 15 ? self : String(decoding: Array(utf8), as: UTF8.self)
    }
}
