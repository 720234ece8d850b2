/// The `defaults` section of a policy file.
public struct PolicyDefaults: Hashable, Sendable {
    /// Lifetime in seconds of a permit whose policy has no `ttl` (3600 when not set).
    public var ttl: Int
    /// IANA timezone for windows that do not name their own (`UTC` when not set).
    public var timeZone: String

    /// Creates defaults.
    public init(ttl: Int = 3600, timeZone: String = "UTC") {
        self.ttl = ttl
        self.timeZone = timeZone
    }
}
