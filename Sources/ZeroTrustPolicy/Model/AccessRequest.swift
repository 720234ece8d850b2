public import Foundation

/// "May this subject do this action on this resource, in this context?"
///
/// Everything the decision depends on travels in the request: time, client IP and MFA state
/// included. The JSON form (used by `zt policy eval`):
///
/// ```json
/// {"subject":{"id":"alice","roles":["data_scientist"],"approvals":[],"attributes":{}},
///  "resource":{"type":"dataset","id":"ds-1","attributes":{"sensitivity":"low"}},
///  "action":"read_data",
///  "context":{"ip":"10.1.2.3","time":"2026-11-25T10:00:00Z","mfa_verified":false}}
/// ```
///
/// Decoding fails (``PolicyError/Code/invalidRequest``) when `context.ip` or `context.time`
/// is present but malformed: a bad input is an error, never a decision.
public struct AccessRequest: Hashable, Sendable, Codable {
    /// Who asks.
    public struct Subject: Hashable, Sendable, Codable {
        /// The subject's id.
        public var id: String
        /// The roles the subject holds.
        public var roles: [Role]
        /// The approvals the request carries.
        public var approvals: [Approval]
        /// Other attributes (not used by the policy language today).
        public var attributes: [String: String]

        /// Creates a subject.
        public init(id: String, roles: [Role] = [], approvals: [Approval] = [], attributes: [String: String] = [:]) {
            self.id = id
            self.roles = roles
            self.approvals = approvals
            self.attributes = attributes
        }

        enum CodingKeys: String, CodingKey { case id, roles, approvals, attributes }

        /// Decodes a subject; `roles`, `approvals` and `attributes` may be omitted.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            id = try c.decode(String.self, forKey: .id)
            roles = try c.decodeIfPresent([Role].self, forKey: .roles) ?? []
            approvals = try c.decodeIfPresent([Approval].self, forKey: .approvals) ?? []
            attributes = try c.decodeIfPresent(AttributeMap.self, forKey: .attributes)?.values ?? [:]
        }
    }

    /// What is acted on.
    public struct Resource: Hashable, Sendable, Codable {
        /// The resource type, such as `dataset`.
        public var type: ResourceType
        /// The resource id.
        public var id: String
        /// Attributes compared with policy resource entries (strings; JSON numbers and booleans
        /// are accepted and compared in their textual form).
        public var attributes: [String: String]

        /// Creates a resource.
        public init(type: ResourceType, id: String = "", attributes: [String: String] = [:]) {
            self.type = type
            self.id = id
            self.attributes = attributes
        }

        enum CodingKeys: String, CodingKey { case type, id, attributes }

        /// Decodes a resource; `id` and `attributes` may be omitted.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            type = try c.decode(ResourceType.self, forKey: .type)
            id = try c.decodeIfPresent(String.self, forKey: .id) ?? ""
            attributes = try c.decodeIfPresent(AttributeMap.self, forKey: .attributes)?.values ?? [:]
        }
    }

    /// The circumstances of the request.
    public struct Context: Hashable, Sendable, Codable {
        /// The client address, if known.
        public var ip: IPAddress?
        /// The time of the request, if known (supplied by the caller; never read from a clock here).
        public var time: Date?
        /// Whether the subject completed multi-factor authentication, if known.
        public var mfaVerified: Bool?
        /// Other attributes.
        public var attributes: [String: String]

        /// Creates a context.
        public init(ip: IPAddress? = nil, time: Date? = nil, mfaVerified: Bool? = nil, attributes: [String: String] = [:]) {
            self.ip = ip
            self.time = time
            self.mfaVerified = mfaVerified
            self.attributes = attributes
        }

        enum CodingKeys: String, CodingKey {
            case ip, time, attributes
            case mfaVerified = "mfa_verified"
        }

        /// Decodes a context; a present but malformed `ip` or `time` throws
        /// ``PolicyError/Code/invalidRequest``.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            if let text = try c.decodeIfPresent(String.self, forKey: .ip) {
                guard let ip = IPAddress(text) else {
                    throw PolicyError(code: .invalidRequest, message: "context.ip '\(text)' is not an IPv4 or IPv6 address")
                }
                self.ip = ip
            } else {
                ip = nil
            }
            if let text = try c.decodeIfPresent(String.self, forKey: .time) {
                guard let time = RFC3339.date(from: text) else {
                    throw PolicyError(code: .invalidRequest, message: "context.time '\(text)' is not an RFC 3339 date-time")
                }
                self.time = time
            } else {
                time = nil
            }
            mfaVerified = try c.decodeIfPresent(Bool.self, forKey: .mfaVerified)
            attributes = try c.decodeIfPresent(AttributeMap.self, forKey: .attributes)?.values ?? [:]
        }

        /// Encodes the context in its JSON form.
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encodeIfPresent(ip?.description, forKey: .ip)
            try c.encodeIfPresent(time.map(RFC3339.string(from:)), forKey: .time)
            try c.encodeIfPresent(mfaVerified, forKey: .mfaVerified)
            try c.encode(attributes, forKey: .attributes)
        }
    }

    /// Who asks.
    public var subject: Subject
    /// What is acted on.
    public var resource: Resource
    /// What the subject wants to do.
    public var action: Action
    /// The circumstances.
    public var context: Context

    /// Creates a request.
    public init(subject: Subject, resource: Resource, action: Action, context: Context = Context()) {
        self.subject = subject
        self.resource = resource
        self.action = action
        self.context = context
    }

    enum CodingKeys: String, CodingKey { case subject, resource, action, context }

    /// Decodes a request; `context` may be omitted.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        subject = try c.decode(Subject.self, forKey: .subject)
        resource = try c.decode(Resource.self, forKey: .resource)
        action = try c.decode(Action.self, forKey: .action)
        context = try c.decodeIfPresent(Context.self, forKey: .context) ?? Context()
    }

    /// Decodes the JSON form, mapping every decoding failure to ``PolicyError/Code/invalidRequest``.
    public static func decodeJSON(_ data: Data) throws(PolicyError) -> AccessRequest {
        do {
            return try JSONDecoder().decode(AccessRequest.self, from: data)
        } catch let error as PolicyError {
            throw error
        } catch {
            throw PolicyError(code: .invalidRequest, message: "invalid request JSON: \(DecodingErrorText.describe(error))")
        }
    }
}

/// Attribute maps accept strings, numbers and booleans, compared as text.
struct AttributeMap: Decodable {
    var values: [String: String]

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        var values: [String: String] = [:]
        for key in c.allKeys {
            if let s = try? c.decode(String.self, forKey: key) {
                values[key.stringValue] = s
            } else if let b = try? c.decode(Bool.self, forKey: key) {
                values[key.stringValue] = b ? "true" : "false"
            } else if let i = try? c.decode(Int.self, forKey: key) {
                values[key.stringValue] = String(i)
            } else {
                throw PolicyError(code: .invalidRequest, message: "attribute '\(key.stringValue)' must be a string, number or boolean")
            }
        }
        self.values = values
    }
}

/// Short, path-qualified text for `DecodingError`s.
enum DecodingErrorText {
    static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return String(describing: error) }
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case let .keyNotFound(key, context):
            let p = path(context)
            return "missing field '\(p.isEmpty ? key.stringValue : p + "." + key.stringValue)'"
        case let .typeMismatch(_, context), let .valueNotFound(_, context):
            return "wrong type at '\(path(context))': \(context.debugDescription)"
        case let .dataCorrupted(context):
            return "\(context.debugDescription)" + (context.codingPath.isEmpty ? "" : " at '\(path(context))'")
        @unknown default:
            return String(describing: error)
        }
    }
}
