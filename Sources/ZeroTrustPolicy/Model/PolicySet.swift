/// A whole policy file: format version, defaults, named time windows and policies in file order.
///
/// Load one with ``PolicyLoader``, build one with the DSL (``PolicySet/init(version:defaults:_:)``),
/// write one with ``PolicyWriter``, and decide with ``PolicyDecisionPoint``.
public struct PolicySet: Hashable, Sendable {
    /// The file format version (only `1` exists).
    public var version: Int
    /// Defaults for `ttl` and `timezone`.
    public var defaults: PolicyDefaults
    /// Declared time windows by name (`business_hours` is built in when not declared).
    public var timeWindows: [String: TimeWindow]
    /// The policies, in file order (order decides which permit is reported).
    public var policies: [Policy]

    /// Creates a policy set.
    public init(version: Int = 1, defaults: PolicyDefaults = PolicyDefaults(), timeWindows: [String: TimeWindow] = [:], policies: [Policy]) {
        self.version = version
        self.defaults = defaults
        self.timeWindows = timeWindows
        self.policies = policies
    }

    /// The window a `time_window` condition names: a declared one, else the built-in
    /// `business_hours`, else `nil`.
    public func timeWindow(named name: String) -> TimeWindow? {
        if let window = timeWindows[name] { return window }
        return name == TimeWindow.businessHoursName ? TimeWindow.businessHours : nil
    }

    /// The content hash that names this exact policy content in every decision:
    /// `fnv1a64:` and 16 hex digits of FNV-1a 64 over the canonical YAML (``PolicyWriter``).
    ///
    /// It identifies the content; it does not authenticate it (FNV-1a is not a cryptographic hash).
    public var contentHash: String {
        ContentHash.fnv1a64(PolicyWriter.yaml(for: self))
    }
}
