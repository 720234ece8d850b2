import ZeroTrustCrypto

/// The header of an envelope (format v1), byte by byte in Documentation/EnvelopeFormat.md:
///
/// ```
/// "ZTEV" ‖ version 0x01 ‖ algorithm ‖ segment size (4) ‖ header length (4) ‖ salt (32)
///   ‖ nonce prefix (7 or 19) ‖ context length (2) ‖ canonical context
///   ‖ KEK id length (1) ‖ KEK id ‖ KEK version (4) ‖ wrapped key length (2) ‖ wrapped key
///   ‖ key commitment (32)
/// ```
///
/// The header is authenticated without a MAC of its own: the payload key and the key commitment
/// are both derived (HKDF-SHA-256) from the data key, the salt and a SHA-256 digest of every
/// field except the header length, the KEK reference and the wrapped key. Changing an
/// authenticated field changes the commitment, which readers check in constant time before
/// decrypting anything; the KEK reference and wrapped key are bound by the KMS (changing them
/// makes unwrapping fail or yields another key, which fails the commitment). That split is what
/// lets ``EnvelopeFile/rewrap(path:kms:keyID:)`` replace the wrapped key without touching a
/// segment.
public struct EnvelopeHeader: Sendable, Hashable {
    /// `"ZTEV"`.
    public static let magic: [UInt8] = Array("ZTEV".utf8)
    /// The format version this library writes and reads: 1.
    public static let formatVersion: UInt8 = 1
    /// The salt length: 32 bytes.
    public static let saltByteCount = 32
    /// The key commitment length: 32 bytes.
    public static let commitmentByteCount = 32
    /// The smallest accepted segment size: 16 bytes (useful only for tests).
    public static let minimumSegmentSize = 16
    /// The largest accepted segment size: 8 MiB, so a reader never needs more memory than that.
    public static let maximumSegmentSize = 8 << 20
    /// The segment size used when none is given: 64 KiB.
    public static let defaultSegmentSize = 64 << 10
    /// The fixed part read before the header length is known.
    static let fixedPrefixByteCount = 14

    /// The segment cipher.
    public let algorithm: EnvelopeAlgorithm
    /// Plaintext bytes in every segment but the last (which holds 0 to this many).
    public let segmentSize: Int
    /// The per-envelope random salt (part of the key derivation info).
    public let salt: [UInt8]
    /// The per-envelope STREAM nonce prefix.
    public let noncePrefix: [UInt8]
    /// The encryption context bound to the data key and to the payload.
    public let context: EncryptionContext
    /// The wrapped data key, which names the KEK id and version.
    public let wrappedKey: WrappedKey
    /// The key commitment: HKDF output that only the right data key and header produce.
    public let keyCommitment: [UInt8]
    let contextBytes: [UInt8]

    /// The KEK id and version that wrapped the data key.
    public var keyReference: KeyReference { wrappedKey.reference }

    /// The serialised header; its length is where the first segment starts.
    public var bytes: [UInt8] {
        var writer = ByteWriter()
        writer.append(authenticatedPrefix)
        writer.append(UInt32(byteCount))
        writer.append(authenticatedSuffix)
        appendKeyFields(to: &writer, wrappedKey: wrappedKey)
        writer.append(keyCommitment)
        return writer.bytes
    }

    /// The serialised length.
    public var byteCount: Int {
        Self.fixedPrefixByteCount + salt.count + noncePrefix.count + 2 + contextBytes.count
            + 1 + keyReference.keyID.utf8.count + 4 + 2 + wrappedKey.bytes.count + Self.commitmentByteCount
    }

    init(algorithm: EnvelopeAlgorithm, segmentSize: Int, salt: [UInt8], noncePrefix: [UInt8], context: EncryptionContext,
         wrappedKey: WrappedKey, keyCommitment: [UInt8], contextBytes: [UInt8]? = nil) throws {
        try Self.validate(segmentSize: segmentSize)
        self.algorithm = algorithm
        self.segmentSize = segmentSize
        self.salt = salt
        self.noncePrefix = noncePrefix
        self.context = context
        self.contextBytes = try contextBytes ?? context.canonicalBytes
        self.wrappedKey = wrappedKey
        self.keyCommitment = keyCommitment
    }

    /// Parses a header from the start of `bytes` (trailing bytes, such as segments, are ignored).
    public init(parsing bytes: [UInt8]) throws {
        var reader = ByteReader(bytes, what: "envelope header", errorCode: .malformedHeader)
        guard Array(try reader.read(4, "magic")) == Self.magic else {
            throw reader.failure("bad magic at byte 0: not a ZeroTrustKit envelope")
        }
        let version = try reader.uint8("version")
        guard version == Self.formatVersion else {
            throw EnvelopeError(code: .unsupportedVersion,
                                message: "envelope format version \(version) at byte 4 is not supported (this library reads version \(Self.formatVersion))")
        }
        algorithm = try EnvelopeAlgorithm.identified(by: try reader.uint8("algorithm"), in: "envelope header byte 5")
        segmentSize = Int(try reader.uint32("segment size"))
        do { try Self.validate(segmentSize: segmentSize) } catch { throw reader.failure("\(error.message) (byte 6)") }
        let declaredLength = Int(try reader.uint32("header length"))
        salt = Array(try reader.read(Self.saltByteCount, "salt"))
        noncePrefix = Array(try reader.read(algorithm.noncePrefixByteCount, "nonce prefix"))
        let contextOffset = reader.offset
        contextBytes = Array(try reader.read(Int(try reader.uint16("context length")), "encryption context"))
        do { context = try EncryptionContext(canonicalBytes: contextBytes) } catch {
            throw reader.failure("encryption context at byte \(contextOffset + 2) is not canonical")
        }
        let idOffset = reader.offset
        let idBytes = try reader.read(Int(try reader.uint8("KEK id length")), "KEK id")
        let kekVersion = try reader.uint32("KEK version")
        let wrappedOffset = reader.offset
        let wrappedBytes = Array(try reader.read(Int(try reader.uint16("wrapped key length")), "wrapped key"))
        do { wrappedKey = try WrappedKey(bytes: wrappedBytes) } catch {
            throw reader.failure("wrapped key at byte \(wrappedOffset + 2) is malformed")
        }
        // Compare bytes, not Strings: String equality is Unicode canonical equivalence, under which
        // two differently encoded ids (and so two header lengths) would compare equal.
        guard idBytes.elementsEqual(wrappedKey.reference.keyID.utf8), kekVersion == wrappedKey.reference.version else {
            throw reader.failure("KEK id and version at byte \(idOffset) differ from those inside the wrapped key")
        }
        keyCommitment = Array(try reader.read(Self.commitmentByteCount, "key commitment"))
        guard declaredLength == reader.offset else {
            throw reader.failure("header length field (byte 10) says \(declaredLength) bytes, the fields take \(reader.offset)")
        }
    }

    /// The header length declared in its first 14 bytes, so a reader knows how much to read.
    static func declaredByteCount(prefix: [UInt8]) throws -> Int {
        var reader = ByteReader(prefix, what: "envelope header", errorCode: .malformedHeader)
        guard Array(try reader.read(4, "magic")) == magic else {
            throw reader.failure("bad magic at byte 0: not a ZeroTrustKit envelope")
        }
        let version = try reader.uint8("version")
        guard version == formatVersion else {
            throw EnvelopeError(code: .unsupportedVersion,
                                message: "envelope format version \(version) at byte 4 is not supported (this library reads version \(formatVersion))")
        }
        _ = try reader.read(5, "algorithm and segment size")
        let length = Int(try reader.uint32("header length"))
        // The largest header the field limits allow is about 128 KiB.
        guard (fixedPrefixByteCount...(256 << 10)).contains(length) else {
            throw reader.failure("header length \(length) at byte 10 is impossible")
        }
        return length
    }

    /// The same header with another wrapped key (rewrap): every authenticated field, and so the
    /// commitment, is unchanged.
    func replacingWrappedKey(_ wrapped: WrappedKey) throws -> EnvelopeHeader {
        try EnvelopeHeader(algorithm: algorithm, segmentSize: segmentSize, salt: salt, noncePrefix: noncePrefix, context: context,
                           wrappedKey: wrapped, keyCommitment: keyCommitment, contextBytes: contextBytes)
    }

    /// The same header carrying `commitment` (set once the keys are derived from the digest).
    func replacingCommitment(_ commitment: [UInt8]) throws -> EnvelopeHeader {
        try EnvelopeHeader(algorithm: algorithm, segmentSize: segmentSize, salt: salt, noncePrefix: noncePrefix, context: context,
                           wrappedKey: wrappedKey, keyCommitment: commitment, contextBytes: contextBytes)
    }

    /// SHA-256 of the authenticated fields: bytes 0–9 and everything from the salt to the end of
    /// the context.
    var authenticatedDigest: [UInt8] {
        get throws {
            try SHA2.hash(authenticatedPrefix + authenticatedSuffix, using: .sha256).bytes
        }
    }

    private var authenticatedPrefix: [UInt8] {
        var writer = ByteWriter()
        writer.append(Self.magic)
        writer.append(Self.formatVersion)
        writer.append(algorithm.rawValue)
        writer.append(UInt32(segmentSize))
        return writer.bytes
    }

    private var authenticatedSuffix: [UInt8] {
        var writer = ByteWriter()
        writer.append(salt)
        writer.append(noncePrefix)
        writer.append(UInt16(contextBytes.count))
        writer.append(contextBytes)
        return writer.bytes
    }

    private func appendKeyFields(to writer: inout ByteWriter, wrappedKey: WrappedKey) {
        writer.append(UInt8(wrappedKey.reference.keyID.utf8.count))
        writer.append(wrappedKey.reference.keyID.utf8)
        writer.append(wrappedKey.reference.version)
        writer.append(UInt16(wrappedKey.bytes.count))
        writer.append(wrappedKey.bytes)
    }

    static func validate(segmentSize: Int) throws(EnvelopeError) {
        guard (minimumSegmentSize...maximumSegmentSize).contains(segmentSize) else {
            throw EnvelopeError(code: .invalidParameter,
                                message: "segment size \(segmentSize) is outside \(minimumSegmentSize)...\(maximumSegmentSize)")
        }
    }
}

extension EnvelopeHeader {
    /// The plaintext length of an envelope of `envelopeByteCount` bytes with this header, or nil
    /// when that size cannot hold a complete envelope.
    public func plaintextByteCount(envelopeByteCount: UInt64) -> UInt64? {
        guard envelopeByteCount >= UInt64(byteCount) else { return nil }
        return try? EnvelopeDecryptor.layout(bodyByteCount: envelopeByteCount - UInt64(byteCount), segmentSize: segmentSize).plaintextByteCount
    }
}
