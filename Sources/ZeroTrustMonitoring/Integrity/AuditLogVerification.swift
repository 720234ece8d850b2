public import Foundation

/// What ``AuditLogVerifier`` established about an intact log.
public struct AuditLogVerification: Sendable, Hashable {
    /// The log's identifier.
    public let logID: UUID
    /// `hmac-sha256` or `sha256`.
    public let chain: String
    /// The number of event records (the header is not counted).
    public let records: Int
    /// How many valid signed checkpoints the checkpoint file holds.
    public let checkpoints: Int
    /// The record count covered by the last checkpoint.
    public let lastCheckpointRecords: Int
    /// Records after the last checkpoint: intact as a chain, but a signer has not vouched for them
    /// (so their truncation could go unnoticed). 0 after a clean close.
    public var uncheckpointedRecords: Int { records - lastCheckpointRecords }
    /// The hash of the last record, hex.
    public let head: String
}
