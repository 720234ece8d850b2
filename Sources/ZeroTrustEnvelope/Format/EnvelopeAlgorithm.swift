public import ZeroTrustCrypto

/// The AEAD algorithms envelopes and key-encryption keys use, with the one-byte identifiers
/// written in headers and wrapped keys.
public enum EnvelopeAlgorithm: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// AES-256-GCM, the default: hardware-accelerated on current CPUs.
    case aes256GCM = 1
    /// XChaCha20-Poly1305: constant-time without AES instructions, 192-bit nonces.
    case xchacha20Poly1305 = 2

    /// The primitive.
    public var aead: AEADAlgorithm {
        switch self {
        case .aes256GCM: .aes256GCM
        case .xchacha20Poly1305: .xchacha20Poly1305
        }
    }

    /// The name used on the command line and in JSON: `aes-256-gcm`, `xchacha20-poly1305`.
    public var name: String { aead.rawValue }

    /// ``name``.
    public var description: String { name }

    /// The algorithm called `name`, or nil.
    public init?(name: String) {
        guard let match = Self.allCases.first(where: { $0.name == name }) else { return nil }
        self = match
    }

    /// The STREAM nonce prefix length: the nonce minus a 4-byte segment index and a 1-byte
    /// last-segment flag (7 bytes for AES-256-GCM, 19 for XChaCha20-Poly1305).
    public var noncePrefixByteCount: Int { aead.nonceByteCount - 5 }

    static func identified(by id: UInt8, in what: String) throws(EnvelopeError) -> EnvelopeAlgorithm {
        guard let algorithm = EnvelopeAlgorithm(rawValue: id) else {
            throw EnvelopeError(code: .unsupportedAlgorithm, message: "\(what) names algorithm \(id), which this library does not know")
        }
        return algorithm
    }
}
