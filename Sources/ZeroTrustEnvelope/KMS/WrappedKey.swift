/// A key-encryption key's id and version: what unwraps a ``WrappedKey``.
public struct KeyReference: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The key id (1 to 255 bytes of UTF-8).
    public let keyID: String
    /// The version, from 1.
    public let version: UInt32

    /// A reference.
    public init(keyID: String, version: UInt32) {
        self.keyID = keyID
        self.version = version
    }

    /// `keyID#version`.
    public var description: String { "\(keyID)#\(version)" }

    static func validate(keyID: String) throws(EnvelopeError) {
        let count = keyID.utf8.count
        guard (1...255).contains(count), !keyID.contains(where: { $0.isNewline || $0 == "\0" }) else {
            throw EnvelopeError(code: .invalidParameter, message: "key id must be 1 to 255 bytes of UTF-8 without newlines, got \(count) bytes")
        }
    }
}

/// A data key encrypted under a key-encryption key, in a framing every ``KeyManagementService``
/// in this library shares, so that the key id and version that unwrap it can be read without
/// asking the KMS:
///
/// ```
/// "ZTWK" (4) ‖ 0x01 (1) ‖ id length L (1) ‖ key id (L) ‖ version (4, big-endian)
///        ‖ ciphertext length N (2, big-endian) ‖ ciphertext (N, opaque to everyone but the KMS)
/// ```
public struct WrappedKey: Sendable, Hashable, CustomStringConvertible {
    /// The complete framed bytes.
    public let bytes: [UInt8]
    /// The key-encryption key that wrapped it.
    public let reference: KeyReference
    /// The KMS-specific ciphertext.
    public let ciphertext: [UInt8]

    static let magic: [UInt8] = Array("ZTWK".utf8)
    static let formatVersion: UInt8 = 1

    /// Frames `ciphertext` made by the key `reference` names.
    public init(reference: KeyReference, ciphertext: [UInt8]) throws {
        try KeyReference.validate(keyID: reference.keyID)
        guard ciphertext.count <= Int(UInt16.max) else {
            throw EnvelopeError(code: .malformedWrappedKey, message: "wrapped key ciphertext of \(ciphertext.count) bytes exceeds 65535")
        }
        var writer = ByteWriter()
        writer.append(Self.framingPrefix(reference))
        writer.append(UInt16(ciphertext.count))
        writer.append(ciphertext)
        self.bytes = writer.bytes
        self.reference = reference
        self.ciphertext = ciphertext
    }

    /// Parses framed bytes.
    public init(bytes: [UInt8]) throws {
        var reader = ByteReader(bytes, what: "wrapped key", errorCode: .malformedWrappedKey)
        guard Array(try reader.read(4, "magic")) == Self.magic else { throw reader.failure("bad magic") }
        let version = try reader.uint8("format version")
        guard version == Self.formatVersion else { throw reader.failure("unknown format version \(version)") }
        let idBytes = try reader.read(Int(try reader.uint8("key id length")), "key id")
        guard let keyID = String(validating: idBytes, as: UTF8.self), !keyID.isEmpty else { throw reader.failure("key id is not UTF-8") }
        let keyVersion = try reader.uint32("key version")
        let ciphertext = Array(try reader.read(Int(try reader.uint16("ciphertext length")), "ciphertext"))
        guard reader.remaining == 0 else { throw reader.failure("\(reader.remaining) trailing bytes") }
        self.bytes = bytes
        self.reference = KeyReference(keyID: keyID, version: keyVersion)
        self.ciphertext = ciphertext
    }

    /// The framing before the ciphertext length: also bound as associated data when wrapping, so
    /// a wrapped key cannot be relabelled with another key id or version.
    static func framingPrefix(_ reference: KeyReference) -> [UInt8] {
        var writer = ByteWriter()
        writer.append(magic)
        writer.append(formatVersion)
        writer.append(UInt8(reference.keyID.utf8.count))
        writer.append(reference.keyID.utf8)
        writer.append(reference.version)
        return writer.bytes
    }

    /// `WrappedKey(keyID#version, N bytes)`.
    public var description: String { "WrappedKey(\(reference), \(bytes.count) bytes)" }
}
