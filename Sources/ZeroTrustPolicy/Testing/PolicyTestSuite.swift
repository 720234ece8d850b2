public import Foundation
internal import Yams

/// A file of named policy test cases, like `opa test` (`zt policy test POLICY TESTS`).
///
/// ```yaml
/// cases:
///   - name: data scientist on Tuesday morning
///     request:
///       subject: {id: alice, roles: [data_scientist]}
///       resource: {type: dataset, id: ds-1, attributes: {sensitivity: low}}
///       action: read_data
///       context: {ip: 10.1.2.3, time: "2026-11-24T10:00:00Z"}
///     expect:
///       authorized: true
///       policy_id: data_scientist_training
///       reason: permitted
/// ```
///
/// Every `expect` field is optional; only the fields given are checked (`policy_id: null`
/// checks that no policy is named). Unknown keys reject the file (a misspelt expectation must not
/// pass silently), with their line and column.
public struct PolicyTestSuite: Hashable, Sendable, Decodable {
    /// The expected decision fields of a case.
    public struct Expectation: Hashable, Sendable, Decodable {
        /// Expected `authorized`.
        public var authorized: Bool?
        /// Expected `policy_id` (outer `nil`: not checked; inner `nil`: must be absent).
        public var policyID: String??
        /// Expected reason code, e.g. `explicit_deny`.
        public var reason: String?
        /// Expected obligations (order-insensitive).
        public var obligations: [Obligation]?
        /// Expected ttl in seconds.
        public var ttl: Int?
        /// Creates an expectation.
        public init(authorized: Bool? = nil, policyID: String?? = nil, reason: String? = nil, obligations: [Obligation]? = nil, ttl: Int? = nil) {
            self.authorized = authorized
            self.policyID = policyID
            self.reason = reason
            self.obligations = obligations
            self.ttl = ttl
        }
        enum CodingKeys: String, CodingKey {
            case authorized, reason, obligations, ttl
            case policyID = "policy_id"
        }
        /// Decodes an expectation; `policy_id: null` means "no policy".
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            authorized = try c.decodeIfPresent(Bool.self, forKey: .authorized)
            if c.contains(.policyID) {
                policyID = .some(try c.decodeNil(forKey: .policyID) ? nil : try c.decode(String.self, forKey: .policyID))
            } else {
                policyID = .none
            }
            reason = try c.decodeIfPresent(String.self, forKey: .reason)
            obligations = try c.decodeIfPresent([Obligation].self, forKey: .obligations)
            ttl = try c.decodeIfPresent(Int.self, forKey: .ttl)
        }
    }

    /// One named case.
    public struct Case: Hashable, Sendable, Decodable {
        /// The case's name, shown in reports.
        public var name: String
        /// The request to decide.
        public var request: AccessRequest
        /// What the decision must look like.
        public var expect: Expectation
        /// Creates a case.
        public init(name: String, request: AccessRequest, expect: Expectation) {
            self.name = name
            self.request = request
            self.expect = expect
        }
    }

    /// The cases, in file order.
    public var cases: [Case]

    /// Creates a suite.
    public init(cases: [Case]) { self.cases = cases }

    /// Parses a test file.
    /// - Throws: ``PolicyError/Code/invalidTestFile`` (or ``PolicyError/Code/invalidRequest``
    ///   for a malformed request).
    public static func load(yaml: String) throws(PolicyError) -> PolicyTestSuite {
        // Unknown keys would silently skip an expectation: reject them, with their position.
        if let root = try? Yams.compose(yaml: yaml) {
            var problems: [PolicyError.Problem] = []
            checkKeys(root, schema: Self.schema, path: "", into: &problems)
            if let first = problems.first {
                throw PolicyError(code: .invalidTestFile, message: "invalid policy test file: \(first.message)",
                                  line: first.line, column: first.column, problems: problems)
            }
        }
        do {
            return try YAMLDecoder().decode(PolicyTestSuite.self, from: yaml)
        } catch let error as PolicyError {
            throw error
        } catch let DecodingError.dataCorrupted(context) where context.underlyingError is PolicyError {
            throw context.underlyingError as? PolicyError ?? PolicyError(code: .invalidTestFile, message: context.debugDescription)
        } catch {
            throw PolicyError(code: .invalidTestFile, message: "invalid policy test file: \(DecodingErrorText.describe(error))")
        }
    }

    /// Allowed keys by path (`*` stands for any list element); `attributes` maps are free-form.
    static let schema: [String: Set<String>] = [
        "": ["cases"],
        "cases.*": ["name", "request", "expect"],
        "cases.*.request": ["subject", "resource", "action", "context"],
        "cases.*.request.subject": ["id", "roles", "approvals", "attributes"],
        "cases.*.request.resource": ["type", "id", "attributes"],
        "cases.*.request.context": ["ip", "time", "mfa_verified", "attributes"],
        "cases.*.expect": ["authorized", "policy_id", "reason", "obligations", "ttl"],
    ]

    static func checkKeys(_ node: Node, schema: [String: Set<String>], path: String, into problems: inout [PolicyError.Problem]) {
        switch node {
        case let .mapping(m):
            guard let allowed = schema[path] else { return }
            for (key, value) in m {
                let name = key.string ?? ""
                if !allowed.contains(name) {
                    problems.append(.init(code: .unknownKey,
                                          message: "unknown key '\(name)' in \(path.isEmpty ? "the document" : path) (allowed: \(allowed.sorted().joined(separator: ", ")))",
                                          line: key.mark?.line, column: key.mark?.column))
                    continue
                }
                checkKeys(value, schema: schema, path: path.isEmpty ? name : path + "." + name, into: &problems)
            }
        case let .sequence(items):
            for item in items { checkKeys(item, schema: schema, path: path + ".*", into: &problems) }
        default:
            return
        }
    }

    /// Reads and parses a test file.
    public static func load(contentsOf url: URL) throws(PolicyError) -> PolicyTestSuite {
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw PolicyError(code: .unreadableFile, message: "cannot read \(url.path): \(error.localizedDescription)")
        }
        return try load(yaml: text)
    }
}
