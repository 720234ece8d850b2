public import Foundation

extension Gatekeeper {
    /// Facts about one request that do not come from the credential.
    public struct RequestContext: Sendable {
        /// The client's address.
        public var ip: IPAddress?
        /// The time of the request; nil means the gatekeeper's clock.
        public var time: Date?
        /// Signed approval tokens (`typ` `approval+jwt`) presented with the request.
        public var approvalTokens: [String]
        /// Extra context attributes for policy conditions.
        public var attributes: [String: String]
        /// Whether to return the policy engine's per-policy explanation.
        public var explain: Bool

        /// A context.
        public init(ip: IPAddress? = nil, time: Date? = nil, approvalTokens: [String] = [],
                    attributes: [String: String] = [:], explain: Bool = false) {
            self.ip = ip
            self.time = time
            self.approvalTokens = approvalTokens
            self.attributes = attributes
            self.explain = explain
        }
    }
}
