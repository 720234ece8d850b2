public import Foundation
internal import ZeroTrustCPULocal

/// The one call a service makes per request: authenticate the caller, build the policy subject,
/// ask the policy engine, record the outcome (durably first when the decision demands it) and, on
/// a permit, mint a short-lived token scoped to exactly what was granted.
///
/// The gatekeeper composes the modules and adds one access rule of its own (a credential scoped
/// to an action and resource authenticates only for them). It fails closed:
/// an unauthenticated caller, an unverifiable approval or an audit log that cannot take a
/// required record all end in a denial, never in a thrown error.
///
/// ```swift
/// let outcome = await gatekeeper.authorize(
///     credential: .bearerToken(bearer), action: .readData,
///     resource: .init(type: .dataset, id: "customers", attributes: ["sensitivity": "low"]),
///     context: .init(ip: IPAddress("10.1.2.3")))
/// guard outcome.granted else { return .forbidden }
/// ```
public struct Gatekeeper: Sendable {
    /// The largest lifetime a minted token may have, in seconds.
    public static let maximumTokenLifetimeLimit = 3600

    /// Everything a gatekeeper is made of. Leave a credential kind's part nil to refuse that kind.
    public struct Configuration: Sendable {
        /// Anchors for client certificates.
        public var trustStore: TrustStore?
        /// Chain checks (revocation lists, algorithms, depth); the verification time is the
        /// request's time.
        public var certificatePolicy: VerificationPolicy
        /// Roles for certificate subjects.
        public var roleMapping: RoleMapping
        /// Verifies bearer tokens.
        public var tokenVerifier: TokenVerifier?
        /// Verifies API keys.
        public var apiKeys: APIKeyIssuer?
        /// The policy engine.
        public var policy: PolicyDecisionPoint
        /// Audit destinations. A decision carrying the `audit` obligation needs at least one
        /// `DeliveryMode.strict` destination.
        public var auditDestinations: [AuditDestination]
        /// Runs anomaly detectors over every recorded event (nil: no detection).
        public var anomalyMonitor: AnomalyMonitor?
        /// Fingerprints rejected credentials in audit events, so attempts stay matchable without
        /// recording the secret (nil: no fingerprint).
        public var redactor: AuditRedactor?
        /// Verifies approval tokens.
        public var approvals: ApprovalTokens
        /// Mints the tokens granted on a permit; its key ring's active key signs them.
        public var tokenIssuer: TokenIssuer
        /// Wraps and unwraps data keys for ``Gatekeeper/sealData(_:keyID:credential:resource:context:)``
        /// and ``Gatekeeper/openData(_:credential:resource:context:)`` (nil: data access refused).
        public var kms: (any KeyManagementService)?
        /// The most a minted token lives, in seconds (1...3600).
        public var maximumTokenLifetime: Int
        /// The time of every request (certificate validity, policy time windows) and of audit
        /// events; inject a fixed clock in tests. Give the token verifier, approvals and issuer the
        /// same clock.
        public var clock: @Sendable () -> Date

        /// A configuration.
        public init(trustStore: TrustStore? = nil, certificatePolicy: VerificationPolicy = VerificationPolicy(),
                    roleMapping: RoleMapping = RoleMapping(rules: []), tokenVerifier: TokenVerifier? = nil,
                    apiKeys: APIKeyIssuer? = nil, policy: PolicyDecisionPoint, auditDestinations: [AuditDestination],
                    anomalyMonitor: AnomalyMonitor? = nil, redactor: AuditRedactor? = nil,
                    approvals: ApprovalTokens = ApprovalTokens(keyRings: [:]), tokenIssuer: TokenIssuer,
                    kms: (any KeyManagementService)? = nil, maximumTokenLifetime: Int = 900, clock: @escaping @Sendable () -> Date = { Date() }) {
            self.trustStore = trustStore
            self.certificatePolicy = certificatePolicy
            self.roleMapping = roleMapping
            self.tokenVerifier = tokenVerifier
            self.apiKeys = apiKeys
            self.policy = policy
            self.auditDestinations = auditDestinations
            self.anomalyMonitor = anomalyMonitor
            self.redactor = redactor
            self.approvals = approvals
            self.tokenIssuer = tokenIssuer
            self.kms = kms
            self.maximumTokenLifetime = maximumTokenLifetime
            self.clock = clock
        }
    }

    let configuration: Configuration
    /// `configuration.tokenVerifier`, held by reference (see `BearerTokenVerifier`), one reference
    /// per CPU (`CPULocal`); empty when tokens are not accepted.
    let bearerTokens: [BearerTokenVerifier]
    /// The log every outcome is recorded in (with the anomaly monitor as one more destination).
    public let auditLog: AuditLog
    private let hasStrictAuditSink: Bool

    /// A gatekeeper. Throws ``GatekeeperError/Code/invalidConfiguration`` when the maximum token
    /// lifetime is outside 1...3600 s, or when there is no audit destination (every decision is
    /// recorded; a gate that could record nothing would grant unseen).
    public init(_ configuration: Configuration) throws(GatekeeperError) {
        guard (1...Self.maximumTokenLifetimeLimit).contains(configuration.maximumTokenLifetime) else {
            throw GatekeeperError(code: .invalidConfiguration,
                                  message: "maximum token lifetime \(configuration.maximumTokenLifetime) s is outside 1...3600 s")
        }
        guard !configuration.auditDestinations.isEmpty else {
            throw GatekeeperError(code: .invalidConfiguration, message: "no audit destination: every decision must be recorded somewhere")
        }
        self.configuration = configuration
        bearerTokens = configuration.tokenVerifier.map { verifier in (0..<CPULocal.copies).map { _ in BearerTokenVerifier(verifier) } } ?? []
        var destinations = configuration.auditDestinations
        if let monitor = configuration.anomalyMonitor {
            // Blocking, not batch: detection must see every event, but never slows a strict ack.
            destinations.append(AuditDestination(name: "anomaly-detection", sink: monitor, mode: .blocking))
        }
        hasStrictAuditSink = configuration.auditDestinations.contains { $0.mode == .strict }
        auditLog = AuditLog(destinations: destinations, clock: configuration.clock)
    }

    /// The policy engine, for hot reloads (`gatekeeper.policy.replace(with: newSet)`).
    public var policy: PolicyDecisionPoint { configuration.policy }

    /// Authenticates `credential`, decides whether it may perform `action` on `resource`, records
    /// the outcome and, when granted, mints a scoped token. Never throws: every failure is a denial.
    ///
    /// Runs on the caller's executor (`nonisolated(nonsending)`), as do the verifier and the audit
    /// log it calls: an authorization that does not wait for a strict audit write or a revocation
    /// store never leaves the caller's thread, and pays no executor check per `await` (≈ 8 % of an
    /// authorization on a task executor). Called from an actor (`@MainActor`, say), the whole
    /// authorization, signature checks included, runs on that actor: call it from a nonisolated
    /// context, or from a `@concurrent` function, to keep it off the actor.
    nonisolated(nonsending) public func authorize(credential: Credential, action: Action, resource: AccessRequest.Resource,
                                                  context: RequestContext = RequestContext()) async -> AccessOutcome {
        let time = configuration.clock()
        let principal: Principal
        switch await authenticate(credential, at: time, action: action, resource: resource) {
        case .failure(let failure):
            return await deny(failure, context: context)
        case .success(let authenticated):
            principal = authenticated
        }
        let approvals = await configuration.approvals.approvals(in: context.approvalTokens, subject: principal.subject,
                                                                action: action, resourceID: resource.id)
        let request = AccessRequest(
            subject: .init(id: principal.subject, roles: principal.roles.map(Role.init(rawValue:)), approvals: approvals),
            resource: resource, action: action,
            context: .init(ip: context.ip, time: time, mfaVerified: principal.mfaVerified, attributes: context.attributes))
        var decision = configuration.policy.authorize(request, explain: context.explain)
        // Settle the final decision before recording it, so the audit event says what the caller
        // was told: an `audit` obligation needs a strict destination, and a permit needs a token.
        if decision.authorized, decision.obligations.contains(.audit), !hasStrictAuditSink {
            decision = Self.denied(decision, .auditUnavailable)
        }
        var minted: (token: String, expiresAt: Date)?
        if decision.authorized {
            let lifetime = min(decision.ttl ?? configuration.maximumTokenLifetime, configuration.maximumTokenLifetime)
            minted = lifetime > 0 ? mint(for: principal.subject, action: action, resource: resource, lifetime: lifetime) : nil
            // Mutated in place: `decision = cond ? … : decision` copied it, retaining every
            // string it shares with the policy set.
            if minted == nil { decision = Self.denied(decision, .grantUnavailable) } else { decision.ttl = lifetime }
        }

        let recorded: AuditEvent?
        do {
            // Built inside the record call, so the event is made in its payload, not copied there.
            recorded = try await auditLog.record(.access(AccessEvent(
                subject: principal.subject, roles: principal.roles, sourceIP: context.ip?.description,
                resourceType: resource.type.rawValue, resourceID: resource.id, sensitivity: resource.attributes["sensitivity"],
                action: action.rawValue, decision: decision.authorized ? .permit : .deny, policyID: decision.policyID,
                policyVersion: decision.policyVersion, reason: decision.reason.code.rawValue,
                obligations: decision.obligations.map(\.rawValue))))
        } catch {
            // A strict destination could not take the record: fail closed, and drop the token.
            let denial = Self.denied(decision, .auditUnavailable)
            // A permit is already queued for the other destinations (and the anomaly monitor):
            // follow it with the denial the caller gets, as far as they can still take it. A
            // denial stays a denial, so it is not recorded twice.
            if decision.authorized {
                // Spelled out like the event above: a shared helper returning the event cost 25
                // more reference counts per authorization on the hot path above.
                _ = try? await auditLog.record(.access(AccessEvent(
                    subject: principal.subject, roles: principal.roles, sourceIP: context.ip?.description,
                    resourceType: resource.type.rawValue, resourceID: resource.id, sensitivity: resource.attributes["sensitivity"],
                    action: action.rawValue, decision: .deny, policyID: denial.policyID, policyVersion: denial.policyVersion,
                    reason: denial.reason.code.rawValue, obligations: denial.obligations.map(\.rawValue))))
            }
            return AccessOutcome(decision: denial, subject: principal.subject,
                                 authenticationFailure: nil, token: nil, tokenExpiresAt: nil, auditEventID: nil)
        }
        return AccessOutcome(decision: consume decision, subject: principal.subject, authenticationFailure: nil,
                             token: minted?.token, tokenExpiresAt: minted?.expiresAt, auditEventID: recorded?.id)
    }

    /// A denial in place of a permit the gatekeeper cannot honour (`code` says why); keeps the
    /// deciding policy, obligations and explanation for the record.
    private static func denied(_ decision: Decision, _ code: Decision.Reason.Code) -> Decision {
        var denied = decision
        denied.authorized = false
        denied.ttl = nil
        denied.reason = Decision.Reason(code: code, policyID: decision.policyID)
        return denied
    }

    private func mint(for subject: String, action: Action, resource: AccessRequest.Resource,
                      lifetime: Int) -> (token: String, expiresAt: Date)? {
        let issuer = configuration.tokenIssuer
        // In name order, as the issuer's pair form requires.
        guard let token = try? issuer.issue(
            subject: subject, lifetime: TimeInterval(lifetime),
            sortedCustom: [("action", .string(action.rawValue)), ("resource_id", .string(resource.id)),
                           ("resource_type", .string(resource.type.rawValue))],
            type: "at+jwt") else { return nil }
        return (token, issuer.clock().addingTimeInterval(TimeInterval(lifetime)))
    }

    nonisolated(nonsending) private func deny(_ failure: AuthenticationFailure, context: RequestContext) async -> AccessOutcome {
        let event = AuthenticationEvent(subject: failure.claimedSubject, method: failure.method, outcome: .failure,
                                        failureCode: failure.code, sourceIP: context.ip?.description,
                                        credential: failure.fingerprint)
        let recorded = try? await auditLog.record(.authentication(event))
        let decision = Decision(authorized: false, policyID: nil, ttl: nil,
                                reason: Decision.Reason(code: .authenticationFailed), obligations: [],
                                policyVersion: configuration.policy.policyVersion)
        return AccessOutcome(decision: decision, subject: nil, authenticationFailure: failure.code, token: nil,
                             tokenExpiresAt: nil, auditEventID: recorded?.id)
    }
}
