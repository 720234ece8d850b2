import Yams

/// A declarative mapping from a ``ClientIdentity`` to role names, for building a policy subject.
///
/// Each rule lists roles and the conditions under which they apply; every condition in a rule
/// must hold, and an identity gets the union of the roles of every rule it matches (sorted, no
/// duplicates). A rule with no condition is refused (it would grant its roles to everyone).
///
/// ```yaml
/// rules:
///   - roles: [ml-engineer]
///     match:
///       spiffeID: "spiffe://corp.example/ml/*"   # any ID below /ml/
///   - roles: [auditor]
///     match:
///       organization: Corp
///       organizationalUnit: Audit
///       commonName: "*"                         # any CN, but one must be present
/// ```
public struct RoleMapping: Sendable {
    /// A SPIFFE ID pattern: an exact ID, an ID followed by `/*` (any ID with at least one more
    /// path segment below it), or `*` (any SPIFFE ID).
    public struct SPIFFEIDPattern: Sendable, Hashable, CustomStringConvertible {
        private enum Kind: Hashable { case any, exact(SPIFFEID), below(SPIFFEID) }
        private let kind: Kind

        /// Parses a pattern; the ID part must be a valid ``SPIFFEID``.
        public init(_ text: String) throws(CertificateError) {
            if text == "*" {
                kind = .any
            } else if text.hasSuffix("/*") {
                kind = .below(try SPIFFEID(parsing: String(text.dropLast(2))))
            } else {
                kind = .exact(try SPIFFEID(parsing: text))
            }
        }

        /// Whether `id` matches.
        public func matches(_ id: SPIFFEID) -> Bool {
            switch kind {
            case .any: true
            case .exact(let expected): id == expected
            case .below(let base): id.trustDomain == base.trustDomain && id.path.hasPrefix(base.path + "/")
            }
        }

        /// The pattern text.
        public var description: String {
            switch kind {
            case .any: "*"
            case .exact(let id): id.description
            case .below(let id): "\(id)/*"
            }
        }
    }

    /// One rule: roles, and the conditions (all must hold) under which they apply.
    public struct Rule: Sendable, Hashable {
        /// The roles granted.
        public let roles: [String]
        /// The identity's SPIFFE ID must match.
        public let spiffeID: SPIFFEIDPattern?
        /// One of the identity's organizations must equal this (`*`: any, but at least one).
        public let organization: String?
        /// One of the identity's organizational units must equal this (`*`: any, but at least one).
        public let organizationalUnit: String?
        /// The identity's common name must equal this (`*`: any, but present).
        public let commonName: String?

        /// A rule; throws when `roles` is empty, a role is empty, or there is no condition.
        public init(roles: [String], spiffeID: SPIFFEIDPattern? = nil, organization: String? = nil,
                    organizationalUnit: String? = nil, commonName: String? = nil) throws(CertificateError) {
            guard !roles.isEmpty, !roles.contains(where: \.isEmpty) else {
                throw CertificateError(code: .invalidRoleMapping, message: "a rule needs at least one non-empty role")
            }
            guard spiffeID != nil || organization != nil || organizationalUnit != nil || commonName != nil else {
                throw CertificateError(code: .invalidRoleMapping,
                                       message: "a rule for \(roles.joined(separator: ", ")) has no condition and would match every identity")
            }
            self.roles = roles
            self.spiffeID = spiffeID
            self.organization = organization
            self.organizationalUnit = organizationalUnit
            self.commonName = commonName
        }

        /// Whether every condition holds for `identity`.
        public func matches(_ identity: ClientIdentity) -> Bool {
            if let spiffeID {
                guard let id = identity.spiffeID, spiffeID.matches(id) else { return false }
            }
            if let organization, !Self.matches(organization, identity.organizations) { return false }
            if let organizationalUnit, !Self.matches(organizationalUnit, identity.organizationalUnits) { return false }
            if let commonName, !Self.matches(commonName, identity.commonName.map { [$0] } ?? []) { return false }
            return true
        }

        private static func matches(_ pattern: String, _ values: [String]) -> Bool {
            pattern == "*" ? !values.isEmpty : values.contains(pattern)
        }
    }

    /// The rules, in order.
    public let rules: [Rule]

    /// A mapping of `rules`.
    public init(rules: [Rule]) { self.rules = rules }

    /// Every role `identity` gets, sorted, without duplicates; empty when no rule matches.
    public func roles(for identity: ClientIdentity) -> [String] {
        Set(rules.filter { $0.matches(identity) }.flatMap(\.roles)).sorted()
    }

    /// Loads a mapping from YAML (format above). Errors name the line and column; unknown keys
    /// are errors, so a misspelt condition never silently widens a rule.
    public init(yaml: String) throws(CertificateError) {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch {
            throw CertificateError(code: .invalidRoleMapping, message: "not valid YAML: \(error)")
        }
        guard let root, let top = root.mapping else {
            throw CertificateError(code: .invalidRoleMapping, message: "the document must be a mapping with a 'rules' list")
        }
        try Self.requireKeys(top, allowed: ["rules"], in: "the document")
        guard let rulesNode = top["rules"], let list = rulesNode.sequence else {
            throw Self.error(top["rules"] ?? root, "'rules' must be a list")
        }
        var rules: [Rule] = []
        for node in list {
            rules.append(try Self.rule(node))
        }
        self.rules = rules
    }

    private static func rule(_ node: Node) throws(CertificateError) -> Rule {
        guard let mapping = node.mapping else { throw error(node, "a rule must be a mapping with 'roles' and 'match'") }
        try requireKeys(mapping, allowed: ["roles", "match"], in: "a rule")
        guard let rolesNode = mapping["roles"], let rolesList = rolesNode.sequence else {
            throw error(node, "a rule needs 'roles', a list of role names")
        }
        var roles: [String] = []
        for role in rolesList {
            guard let name = role.scalar?.string else { throw error(role, "a role must be a string") }
            roles.append(name)
        }
        guard let matchNode = mapping["match"], let match = matchNode.mapping else {
            throw error(node, "a rule needs 'match', a mapping of conditions")
        }
        try requireKeys(match, allowed: ["spiffeID", "organization", "organizationalUnit", "commonName"], in: "'match'")
        func string(_ key: String) throws(CertificateError) -> String? {
            guard let value = match[key] else { return nil }
            guard let text = value.scalar?.string, !text.isEmpty else { throw error(value, "'\(key)' must be a non-empty string") }
            return text
        }
        do {
            let pattern: SPIFFEIDPattern? = try string("spiffeID").map { (text) throws(CertificateError) in try SPIFFEIDPattern(text) }
            return try Rule(roles: roles, spiffeID: pattern, organization: string("organization"),
                            organizationalUnit: string("organizationalUnit"), commonName: string("commonName"))
        } catch {
            throw Self.error(node, error.message)
        }
    }

    private static func requireKeys(_ mapping: Node.Mapping, allowed: Set<String>, in context: String) throws(CertificateError) {
        for (key, _) in mapping {
            guard let name = key.scalar?.string, allowed.contains(name) else {
                throw error(key, "unknown key '\(key.scalar?.string ?? "?")' in \(context); allowed: \(allowed.sorted().joined(separator: ", "))")
            }
        }
    }

    private static func error(_ node: Node, _ message: String) -> CertificateError {
        let location = node.mark.map { "line \($0.line), column \($0.column): " } ?? ""
        return CertificateError(code: .invalidRoleMapping, message: location + message)
    }
}
