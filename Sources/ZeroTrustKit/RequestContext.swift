extension Gatekeeper {
    /// Facts about one request that do not come from the credential. The time is not one of
    /// them: it always comes from the gatekeeper's clock, so a caller cannot move a request into
    /// a policy's time window.
    public struct RequestContext: Sendable {
        /// The client's address.
        public var ip: IPAddress?
        /// Signed approval tokens (`typ` `approval+jwt`) presented with the request.
        public var approvalTokens: [String]
        /// Extra context attributes for policy conditions.
        public var attributes: [String: String]
        /// Whether to return the policy engine's per-policy explanation.
        public var explain: Bool

        /// A context.
        public init(ip: IPAddress? = nil, approvalTokens: [String] = [],
                    attributes: [String: String] = [:], explain: Bool = false) {
            self.ip = ip
            self.approvalTokens = approvalTokens
            self.attributes = attributes
            self.explain = explain
        }
    }
}
