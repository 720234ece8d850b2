/// A SPIFFE ID (`spiffe://trust-domain/path`), validated by the SPIFFE ID specification's rules.
///
/// - The scheme is exactly `spiffe` (lowercase), followed by `://`.
/// - The trust domain is non-empty and only lowercase letters, digits, `.`, `-` and `_`: so no
///   port, no userinfo, no percent-encoding, no upper case. At most 255 characters.
/// - The path is empty or `/`-separated segments of letters, digits, `.`, `-` and `_`; no segment
///   is empty, `.` or `..` (so no trailing slash); no query or fragment.
/// - The whole ID is at most 2048 bytes.
///
/// ```swift
/// let id = try SPIFFEID("spiffe://corp.example/ml/trainer")
/// id.trustDomain   // "corp.example"
/// id.path          // "/ml/trainer"
/// ```
public struct SPIFFEID: Sendable, Hashable, Codable, CustomStringConvertible, LosslessStringConvertible {
    /// The trust domain, e.g. `corp.example`.
    public let trustDomain: String
    /// The path, empty or starting with `/`, e.g. `/ml/trainer`.
    public let path: String

    /// Parses and validates `text`; throws ``CertificateError/Code/invalidSPIFFEID`` saying which rule failed.
    public init(parsing text: String) throws(CertificateError) {
        func invalid(_ reason: String) -> CertificateError {
            CertificateError(code: .invalidSPIFFEID, message: "'\(text.prefix(200))' is not a SPIFFE ID: \(reason)")
        }
        guard text.utf8.count <= 2048 else { throw invalid("longer than 2048 bytes") }
        let prefix = "spiffe://"
        guard text.hasPrefix(prefix) else { throw invalid("the scheme must be 'spiffe://' (lowercase)") }
        let rest = text.dropFirst(prefix.count)
        let trustDomain = rest.prefix { $0 != "/" }
        let path = rest.dropFirst(trustDomain.count)
        guard !trustDomain.isEmpty else { throw invalid("the trust domain is empty") }
        guard trustDomain.count <= 255 else { throw invalid("the trust domain is longer than 255 characters") }
        for character in trustDomain.unicodeScalars where !Self.isTrustDomainCharacter(character) {
            let reason =
                switch character {
                case ":": "a port is not allowed"
                case "@": "userinfo is not allowed"
                case "%": "percent-encoding is not allowed"
                case "?": "a query is not allowed"
                case "#": "a fragment is not allowed"
                default: "the trust domain may only hold lowercase letters, digits, '.', '-' and '_'"
                }
            throw invalid(reason)
        }
        if !path.isEmpty {
            for segment in path.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
                guard !segment.isEmpty else { throw invalid("the path has an empty segment (or a trailing '/')") }
                guard segment != ".", segment != ".." else { throw invalid("the path has a '\(segment)' segment") }
                for character in segment.unicodeScalars where !Self.isPathCharacter(character) {
                    let reason =
                        switch character {
                        case "%": "percent-encoding is not allowed"
                        case "?": "a query is not allowed"
                        case "#": "a fragment is not allowed"
                        default: "path segments may only hold letters, digits, '.', '-' and '_'"
                        }
                    throw invalid(reason)
                }
            }
        }
        self.trustDomain = String(trustDomain)
        self.path = String(path)
    }

    /// Parses `description`, or returns nil when it is not a valid SPIFFE ID.
    public init?(_ description: String) {
        guard let id = try? SPIFFEID(parsing: description) else { return nil }
        self = id
    }

    /// `spiffe://trust-domain/path`.
    public var description: String { "spiffe://\(trustDomain)\(path)" }

    /// Decodes from the string form, validating it.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        try self.init(parsing: text)
    }

    /// Encodes as the string form.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    /// Whether `text` is a valid trust domain name.
    public static func isValidTrustDomain(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 255 && text.unicodeScalars.allSatisfy(isTrustDomainCharacter)
    }

    private static func isTrustDomainCharacter(_ c: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(c) || ("0"..."9").contains(c) || c == "." || c == "-" || c == "_"
    }

    private static func isPathCharacter(_ c: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c) || c == "." || c == "-" || c == "_"
    }
}
