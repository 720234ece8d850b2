extension Decision.Reason.Code {
    /// The caller could not be authenticated; no policy was consulted.
    public static let authenticationFailed = Decision.Reason.Code(rawValue: "authentication_failed")
    /// The decision required the `audit` obligation (or any strict recording) and no strict audit
    /// sink recorded the event, so the permit was withdrawn.
    public static let auditUnavailable = Decision.Reason.Code(rawValue: "audit_unavailable")
    /// The policy permitted, but no grant token could be minted (no active signing key, or no
    /// time left in the permit's window), so the permit was withdrawn.
    public static let grantUnavailable = Decision.Reason.Code(rawValue: "grant_unavailable")
}
