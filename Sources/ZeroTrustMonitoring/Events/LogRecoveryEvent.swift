/// Written by the chained file sink as the first record after it discarded an incomplete final
/// line left by a crash, so the discard is itself on the record (and covered by the chain).
public struct LogRecoveryEvent: Sendable, Hashable {
    /// The byte offset where the discarded fragment started.
    public var byteOffset: Int
    /// How many bytes were discarded.
    public var discardedBytes: Int
    /// `sha256:` + hex of the discarded bytes.
    public var discardedDigest: String

    /// Creates a recovery event.
    public init(byteOffset: Int, discardedBytes: Int, discardedDigest: String) {
        self.byteOffset = byteOffset
        self.discardedBytes = discardedBytes
        self.discardedDigest = discardedDigest
    }
}
