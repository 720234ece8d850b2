public import Foundation

/// The output of a hash function. Compared in constant time; described as lowercase hex.
public struct Digest: Sendable, Hashable, ContiguousBytes, CustomStringConvertible {
    /// The digest bytes.
    public let bytes: [UInt8]

    /// Wraps digest bytes.
    public init(bytes: [UInt8]) { self.bytes = bytes }

    /// The number of bytes.
    public var byteCount: Int { bytes.count }

    /// Lowercase hexadecimal.
    public var hexString: String { Hex.encode(bytes) }

    /// ``hexString``.
    public var description: String { hexString }

    /// Read access to the bytes.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try bytes.withUnsafeBytes(body)
    }

    /// Constant-time comparison.
    public static func == (lhs: Digest, rhs: Digest) -> Bool { constantTimeEquals(lhs.bytes, rhs.bytes) }

    /// Hashes the bytes.
    public func hash(into hasher: inout Hasher) { hasher.combine(bytes) }
}
