public import Foundation

/// The size of a symmetric key.
public struct SymmetricKeySize: Sendable, Hashable {
    /// The size in bits; a multiple of 8.
    public let bitCount: Int

    /// A size of `bitCount` bits (a positive multiple of 8).
    public init(bitCount: Int) {
        precondition(bitCount > 0 && bitCount % 8 == 0, "key size must be a positive multiple of 8 bits")
        self.bitCount = bitCount
    }

    /// 128 bits.
    public static let bits128 = SymmetricKeySize(bitCount: 128)
    /// 192 bits.
    public static let bits192 = SymmetricKeySize(bitCount: 192)
    /// 256 bits: the size for AES-256-GCM, ChaCha20-Poly1305, XChaCha20-Poly1305 and HMAC keys.
    public static let bits256 = SymmetricKeySize(bitCount: 256)
}

/// A secret key for AEAD, HMAC or HKDF, held in ``SecureBytes``.
///
/// ```swift
/// let key = SymmetricKey(size: .bits256)
/// let box = try AES256GCM.seal(Array("hello".utf8), using: key)
/// ```
public struct SymmetricKey: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// The key bytes.
    public let bytes: SecureBytes

    /// A new random key from the operating system's CSPRNG.
    public init(size: SymmetricKeySize) {
        self.bytes = SecureBytes(randomCount: size.bitCount / 8)
    }

    /// A key made of `data`, copied into secure storage.
    public init(data: some ContiguousBytes) {
        self.bytes = SecureBytes(copying: data)
    }

    /// A key made of bytes already in secure storage.
    public init(bytes: SecureBytes) {
        self.bytes = bytes
    }

    /// The key's length in bits.
    public var bitCount: Int { bytes.count * 8 }
    /// The key's length in bytes.
    public var byteCount: Int { bytes.count }

    /// Gives `body` read access to the key bytes. Do not let the pointer escape `body`.
    public func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try bytes.withUnsafeBytes(body)
    }

    /// Constant-time comparison.
    public static func == (lhs: SymmetricKey, rhs: SymmetricKey) -> Bool { lhs.bytes == rhs.bytes }

    /// Redacted: `SymmetricKey(256 bits, redacted)`.
    public var description: String { "SymmetricKey(\(bitCount) bits, redacted)" }
    /// Redacted, as ``description``.
    public var debugDescription: String { description }
    /// Redacted, so that `dump` and debuggers do not show the key.
    public var customMirror: Mirror { Mirror(self, children: ["bitCount": bitCount]) }
}
