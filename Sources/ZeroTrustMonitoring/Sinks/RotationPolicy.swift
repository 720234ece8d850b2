/// Size-based rotation of the log file: when a write would take the file past ``maximumBytes``,
/// the sink writes a closing checkpoint, renames `log` → `log.1` (and `log.1` → `log.2` …, keeping
/// ``keptFiles`` old files, checkpoint files alongside), and starts a new log whose header links
/// to the previous log's chain head.
public struct RotationPolicy: Sendable, Hashable {
    /// The size that triggers rotation.
    public var maximumBytes: Int
    /// How many rotated files to keep (older ones are deleted).
    public var keptFiles: Int

    /// Creates a policy.
    public init(maximumBytes: Int, keptFiles: Int = 10) {
        self.maximumBytes = maximumBytes
        self.keptFiles = keptFiles
    }
}
