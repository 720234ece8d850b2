/// A JWK Set document (RFC 7517 §5): `{"keys": [...]}`.
public struct JWKSet: Sendable {
    /// The keys, in document order.
    public let keys: [JWK]

    /// Wraps keys.
    public init(keys: [JWK]) { self.keys = keys }

    /// Parses a JWK Set. Every key must be a JSON object with a supported `kty` (its other
    /// members are checked when it is used, by ``verificationKeys()``); duplicate `kid`s are
    /// refused, since they would make key selection ambiguous.
    public init(json: some Collection<UInt8>) throws(TokenError) {
        let value: JSONValue
        do { value = try JSONValue(parsing: json) } catch {
            throw TokenError(code: .invalidKey, message: "JWK Set is not strict JSON: \(error.message)")
        }
        guard let array = value.objectValue?["keys"]?.arrayValue else {
            throw TokenError(code: .invalidKey, message: "a JWK Set must be an object with a \"keys\" array")
        }
        var keys: [JWK] = []
        var seen: Set<String> = []
        for (index, element) in array.enumerated() {
            guard let members = element.objectValue else {
                throw TokenError(code: .invalidKey, message: "keys[\(index)] is not a JSON object")
            }
            let key: JWK
            do { key = try JWK(members: members) } catch {
                throw TokenError(code: .invalidKey, message: "keys[\(index)]: \(error.message)")
            }
            if let keyID = key.keyID, !seen.insert(keyID).inserted {
                throw TokenError(code: .invalidKey, message: "keys[\(index)]: duplicate \"kid\" \"\(keyID)\"")
            }
            keys.append(key)
        }
        self.keys = keys
    }

    /// Parses a JWK Set from text.
    public init(json: String) throws(TokenError) {
        try self.init(json: Array(json.utf8))
    }

    /// The verification keys of every member meant for signatures. A member whose `use` is not
    /// `sig`, or whose `key_ops` do not include `verify`, is skipped (identity providers publish
    /// encryption keys in the same set); any other member must be a usable key, and at least one
    /// key must remain.
    public func verificationKeys() throws(TokenError) -> [VerificationKey] {
        var result: [VerificationKey] = []
        for (index, key) in keys.enumerated() where key.isForSignatureVerification {
            do { result.append(try key.verificationKey()) } catch {
                throw TokenError(code: .invalidKey, message: "keys[\(index)]: \(error.message)")
            }
        }
        guard !result.isEmpty || keys.isEmpty else {
            throw TokenError(code: .invalidKey, message: "the JWK Set has no key for verifying signatures")
        }
        return result
    }

    /// Compact JSON.
    public var json: String { JSONValue.object(["keys": .array(keys.map { .object($0.members) })]).serialized }
}
