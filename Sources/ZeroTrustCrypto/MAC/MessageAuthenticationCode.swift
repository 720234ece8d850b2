public import Foundation

/// An HMAC tag. Compared in constant time; described as lowercase hex (a tag is not secret).
public struct MessageAuthenticationCode: Sendable, Hashable, ContiguousBytes, CustomStringConvertible {
    /// The tag bytes.
    public let bytes: [UInt8]

    /// Wraps tag bytes.
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
    public static func == (lhs: MessageAuthenticationCode, rhs: MessageAuthenticationCode) -> Bool {
        constantTimeEquals(lhs.bytes, rhs.bytes)
    }

    /// Hashes the bytes.
    public func hash(into hasher: inout Hasher) { hasher.combine(bytes) }
}

/// Computes a tag into a stack buffer with `authenticate` (which returns its length), compares it
/// with `code` in constant time, and wipes the buffer: shared by the HMAC verification paths.
func matchesComputedTag(_ code: UnsafeRawBufferPointer,
                        _ authenticate: (UnsafeMutableRawBufferPointer) throws -> Int) rethrows -> Bool {
    try withUnsafeTemporaryAllocation(byteCount: 64, alignment: 8) { scratch in
        defer { scratch.initializeMemory(as: UInt8.self, repeating: 0) }
        let count = try authenticate(scratch)
        return constantTimeEquals(UnsafeRawBufferPointer(rebasing: scratch[..<count]), code)
    }
}
