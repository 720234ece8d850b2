import Foundation
import ZeroTrustCrypto

/// Computes record hashes: HMAC-SHA256 under the log key, or SHA-256 when the log has no key.
/// Holds an `HMACContext` or a reused digest context, so it is not `Sendable`: one per writer or verifier.
final class ChainHasher {
    /// The `chain` value written in the log header.
    enum Kind: String {
        case hmacSHA256 = "hmac-sha256"
        case sha256 = "sha256"
    }

    static let hashByteCount = 32
    let kind: Kind
    private let context: HMACContext?
    private let digest: DigestScratchContext?

    init(key: SymmetricKey?) throws {
        if let key {
            guard key.byteCount >= 16 else {
                throw AuditError(code: .keyMismatch, message: "the log HMAC key must be at least 128 bits, got \(key.bitCount)")
            }
            context = try HMACContext(key: key, algorithm: .sha256)
            digest = nil
            kind = .hmacSHA256
        } else {
            context = nil
            digest = try DigestScratchContext(.sha256)
            kind = .sha256
        }
    }

    /// Hashes `body` into `output` (32 bytes) without allocating a Swift value.
    func hash(_ body: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws {
        if let context {
            _ = try context.authenticate(body, into: output)
        } else if let digest {
            try digest.hash(body, into: output)
        }
    }

    func hash(_ body: some Collection<UInt8>) throws -> [UInt8] {
        var output = [UInt8](repeating: 0, count: Self.hashByteCount)
        try Array(body).withUnsafeBytes { b in try output.withUnsafeMutableBytes { try hash(b, into: $0) } }
        return output
    }
}
