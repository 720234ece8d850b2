/// A policy set loaded into a decision point.
public struct PolicyLoadEvent: Sendable, Hashable {
    /// Where the policies came from (a path or URL).
    public var source: String
    /// The policy set's version.
    public var version: String?
    /// How many policies the set holds.
    public var policyCount: Int
    /// A digest of the loaded document (e.g. `sha256:` + hex), to tell versions apart.
    public var digest: String?
    /// Who loaded it, when known.
    public var subject: String?
    /// Whether loading succeeded.
    public var succeeded: Bool

    /// Creates a policy-load event.
    public init(source: String, version: String? = nil, policyCount: Int, digest: String? = nil,
                subject: String? = nil, succeeded: Bool = true) {
        self.source = source
        self.version = version
        self.policyCount = policyCount
        self.digest = digest
        self.subject = subject
        self.succeeded = succeeded
    }
}
