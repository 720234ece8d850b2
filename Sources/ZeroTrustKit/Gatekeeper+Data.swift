/// The result of a data operation through the gate: the authorization outcome, and the bytes
/// (the envelope for a seal, the plaintext for an open) only when it was granted.
public struct GatedData: Sendable {
    /// The authorization outcome of the `write_data` or `read_data` request.
    public let outcome: AccessOutcome
    /// The envelope or plaintext; nil when denied.
    public let bytes: [UInt8]?
}

extension Gatekeeper {
    /// Authorizes `write_data` on `resource` and only then seals `plaintext` under a fresh data key
    /// for `keyID`. The envelope's encryption context names the resource — its type, id and every
    /// attribute (as `attr.<name>`) — so it opens only through an authorized `read_data` on that
    /// same resource described with the same attributes: relabelling a sensitive dataset as
    /// `sensitivity: low` to pass the policy makes the open fail. The key use is audited; if that
    /// record cannot be made the envelope is withheld.
    ///
    /// Throws ``GatekeeperError/Code/invalidConfiguration`` before authorizing anything when no
    /// KMS is configured, and ``GatekeeperError/Code/dataAccessFailed`` only after a grant, when
    /// the KMS, the envelope or the audit record fails; a denial is returned, not thrown.
    public func sealData(_ plaintext: [UInt8], keyID: String, credential: Credential, resource: AccessRequest.Resource,
                         context: RequestContext = RequestContext()) async throws(GatekeeperError) -> GatedData {
        let kms = try requireKMS()
        let outcome = await authorize(credential: credential, action: .writeData, resource: resource, context: context)
        guard outcome.granted else { return GatedData(outcome: outcome, bytes: nil) }
        let encryptionContext = try Self.encryptionContext(for: resource)
        do {
            let envelope = try await Envelope.seal(plaintext, keyID: keyID, context: encryptionContext, kms: kms)
            try await recordKeyUse(.generate, keyID: keyID, resource: resource, subject: outcome.subject, succeeded: true)
            return GatedData(outcome: outcome, bytes: envelope)
        } catch {
            try? await recordKeyUse(.generate, keyID: keyID, resource: resource, subject: outcome.subject, succeeded: false)
            throw GatekeeperError(code: .dataAccessFailed, message: "sealing data for \(resource.type)/\(resource.id) failed: \(error)")
        }
    }

    /// Authorizes `read_data` on `resource` and only then unwraps the envelope's data key with the
    /// KMS and opens it; the envelope must have been sealed for this resource with exactly these
    /// attributes (take them from your catalog, not from the caller). The key use is audited; if
    /// that record cannot be made the plaintext is withheld.
    ///
    /// Throws ``GatekeeperError/Code/invalidConfiguration`` before authorizing anything when no
    /// KMS is configured, and ``GatekeeperError/Code/dataAccessFailed`` only after a grant (wrong
    /// resource, tampered envelope, KMS or audit failure); a denial is returned, not thrown.
    public func openData(_ envelope: [UInt8], credential: Credential, resource: AccessRequest.Resource,
                         context: RequestContext = RequestContext()) async throws(GatekeeperError) -> GatedData {
        let kms = try requireKMS()
        let outcome = await authorize(credential: credential, action: .readData, resource: resource, context: context)
        guard outcome.granted else { return GatedData(outcome: outcome, bytes: nil) }
        let keyID = (try? EnvelopeHeader(parsing: envelope))?.keyReference.description ?? "unknown"
        do {
            let plaintext = try await Envelope.open(envelope, kms: kms, expectedContext: try Self.encryptionContext(for: resource))
            try await recordKeyUse(.unwrap, keyID: keyID, resource: resource, subject: outcome.subject, succeeded: true)
            return GatedData(outcome: outcome, bytes: plaintext)
        } catch {
            try? await recordKeyUse(.unwrap, keyID: keyID, resource: resource, subject: outcome.subject, succeeded: false)
            throw GatekeeperError(code: .dataAccessFailed, message: "opening data for \(resource.type)/\(resource.id) failed: \(error)")
        }
    }

    private func requireKMS() throws(GatekeeperError) -> any KeyManagementService {
        guard let kms = configuration.kms else {
            throw GatekeeperError(code: .invalidConfiguration, message: "no KMS is configured for data access")
        }
        return kms
    }

    private static func encryptionContext(for resource: AccessRequest.Resource) throws(GatekeeperError) -> EncryptionContext {
        do {
            var pairs = ["resource_type": resource.type.rawValue, "resource_id": resource.id]
            for (name, value) in resource.attributes { pairs["attr." + name] = value }
            return try EncryptionContext(pairs)
        } catch {
            throw GatekeeperError(code: .dataAccessFailed, message: "resource \(resource.type)/\(resource.id) cannot name an encryption context: \(error)")
        }
    }

    private func recordKeyUse(_ operation: KeyEvent.Operation, keyID: String, resource: AccessRequest.Resource,
                              subject: String?, succeeded: Bool) async throws {
        try await auditLog.record(.key(KeyEvent(
            operation: operation, keyID: keyID,
            context: ["resource_type": resource.type.rawValue, "resource_id": resource.id],
            subject: subject, succeeded: succeeded)))
    }
}
