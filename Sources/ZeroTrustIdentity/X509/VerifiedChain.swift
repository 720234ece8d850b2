public import Foundation

/// A chain that passed ``ChainVerifier``: leaf first, trust anchor last.
public struct VerifiedChain: Sendable, Hashable {
    /// The certificates from the leaf (index 0) to the trust anchor (last).
    public let certificates: [Certificate]
    /// The time the chain was verified at.
    public let verificationTime: Date

    init(certificates: [Certificate], verificationTime: Date) {
        self.certificates = certificates
        self.verificationTime = verificationTime
    }

    /// The end-entity certificate.
    public var leaf: Certificate { certificates[0] }
    /// The trust anchor the chain leads to.
    public var anchor: Certificate { certificates[certificates.count - 1] }
}
