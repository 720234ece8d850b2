import Foundation
internal import ZeroTrustCPULocal

/// An authenticated caller, as the policy engine sees it.
struct Principal: Sendable {
    var subject: String
    var roles: [String]
    var mfaVerified: Bool
}

/// Why authentication failed, with what may safely go into the audit event.
struct AuthenticationFailure: Error, Sendable {
    var method: AuthenticationEvent.Method
    /// A stable error code (`expired`, `revoked`, `unsupportedCredential`, …).
    var code: String
    /// The subject the credential claimed, unverified: only for matching attempts in the log.
    var claimedSubject: String?
    var fingerprint: SecretFingerprint?
}

extension Gatekeeper {
    /// RFC 8176 authentication method values that count as a second factor.
    static let multiFactorMethods: Set<String> = ["mfa", "hwk", "otp"]

    /// Authenticates `credential` for one request. A credential that is itself scoped — an API key
    /// with scopes, or a grant this gatekeeper minted (it carries `action`, `resource_type` and
    /// `resource_id` claims) — authenticates only for what it is scoped to.
    nonisolated(nonsending) func authenticate(_ credential: Credential, at time: Date, action: Action,
                      resource: AccessRequest.Resource) async -> Result<Principal, AuthenticationFailure> {
        switch credential {
        case .clientCertificate(let chain):
            return authenticate(certificates: chain, at: time)
        case .bearerToken(let token):
            // A nested function, not a closure value: a stored closure would copy the gatekeeper
            // into a heap context on every call, failure or not.
            func failure(_ code: String) -> Result<Principal, AuthenticationFailure> {
                .failure(AuthenticationFailure(method: .token, code: code, claimedSubject: Self.claimedSubject(ofToken: token),
                                               fingerprint: try? configuration.redactor?.fingerprint(of: token)))
            }
            guard !bearerTokens.isEmpty else { return failure("unsupportedCredential") }
            let verifier = bearerTokens[CPULocal.index(bearerTokens.count)]
            let verified: VerifiedToken
            do {
                verified = try await verifier.verify(token)
            } catch {
                return failure(error.code.rawValue)
            }
            // The claims are read in place (a `let claims = verified.claims` is a copy).
            return Self.principal(from: verified.claims, action: action, resource: resource, failure: failure)
        case .apiKey(let key):
            func failure(_ code: String) -> Result<Principal, AuthenticationFailure> {
                .failure(AuthenticationFailure(method: .apiKey, code: code, claimedSubject: Self.claimedID(ofAPIKey: key),
                                               fingerprint: try? configuration.redactor?.fingerprint(of: key)))
            }
            guard let apiKeys = configuration.apiKeys else { return failure("unsupportedCredential") }
            do {
                let record = try await apiKeys.verify(key)
                // Scopes, when a key has any, are the only actions it may be used for.
                if !record.scopes.isEmpty, !record.scopes.contains(action.rawValue) {
                    return failure("scopeNotGranted")
                }
                return .success(Principal(subject: record.name, roles: record.roles, mfaVerified: false))
            } catch {
                return failure(error.code.rawValue)
            }
        }
    }

    /// The principal a verified token names, or `failure` with the code saying why the token
    /// cannot act here.
    private static func principal(from claims: TokenClaims, action: Action, resource: AccessRequest.Resource,
                                  failure: (String) -> Result<Principal, AuthenticationFailure>)
        -> Result<Principal, AuthenticationFailure> {
        guard let subject = claims.subject, !subject.isEmpty else { return failure("missingClaim") }
        // The custom claims read here, in one pass: a token carries a few, and comparing their
        // names is cheaper than hashing five names to look them up (this runs on every request).
        var scope: (action: JSONValue?, type: JSONValue?, id: JSONValue?) = (nil, nil, nil)
        var roles: [String] = [], methods: [String] = []
        for (name, value) in claims.custom {
            switch name {
            case "action": scope.action = value
            case "resource_type": scope.type = value
            case "resource_id": scope.id = value
            case "roles": roles = value.stringArrayValue ?? []
            case "amr": methods = value.stringArrayValue ?? []
            default: continue
            }
        }
        // A grant minted for one action on one resource must not work as a general login.
        if scope.action != nil || scope.type != nil || scope.id != nil,
           scope.action != .string(action.rawValue) || scope.type != .string(resource.type.rawValue) || scope.id != .string(resource.id) {
            return failure("grantScopeMismatch")
        }
        let mfa = !Self.multiFactorMethods.isDisjoint(with: methods)
        return .success(Principal(subject: subject, roles: roles, mfaVerified: mfa))
    }

    private func authenticate(certificates chain: [Certificate], at time: Date) -> Result<Principal, AuthenticationFailure> {
        let claimed = chain.first?.subject.commonName
        let failure = { (code: String) in
            AuthenticationFailure(method: .certificate, code: code, claimedSubject: claimed, fingerprint: nil)
        }
        guard let trustStore = configuration.trustStore else { return .failure(failure("unsupportedCredential")) }
        guard let leaf = chain.first else { return .failure(failure("emptyChain")) }
        var policy = configuration.certificatePolicy
        policy.verificationTime = time
        do {
            let verified = try ChainVerifier(trustStore: trustStore, policy: policy).verify(leaf, intermediates: Array(chain.dropFirst()))
            let identity = try ClientIdentity(chain: verified)
            let subject = identity.spiffeID?.description ?? identity.commonName ?? identity.subject
            return .success(Principal(subject: subject, roles: configuration.roleMapping.roles(for: identity), mfaVerified: false))
        } catch {
            return .failure(failure(error.code.rawValue))
        }
    }

    /// The unverified `sub` of a compact JWS, for matching failed attempts; nil when unreadable.
    static func claimedSubject(ofToken token: String) -> String? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[1].utf8.count <= 8192 else { return nil }
        var text = parts[1].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        text += String(repeating: "=", count: (4 - text.utf8.count % 4) % 4)
        guard let data = Data(base64Encoded: text), let payload = try? JSONValue(parsing: data) else { return nil }
        return payload.objectValue?["sub"]?.stringValue.map { String($0.prefix(256)) }
    }

    /// The id part of a `ztk_<id>_<secret>` key (never the secret).
    static func claimedID(ofAPIKey key: String) -> String? {
        let parts = key.split(separator: "_", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "ztk" else { return nil }
        return String(parts[1].prefix(64))
    }
}
