public import Foundation
internal import CZeroTrustOpenSSL

/// Compares two byte sequences in time that depends only on their length (OpenSSL's
/// `CRYPTO_memcmp`). Use it for MACs, tokens and any other secret-derived value.
///
/// Sequences of different lengths compare unequal at once: a length is not treated as secret.
public func constantTimeEquals(_ lhs: some ContiguousBytes, _ rhs: some ContiguousBytes) -> Bool {
    lhs.withUnsafeBytes { a in
        rhs.withUnsafeBytes { b in
            constantTimeEquals(a, b)
        }
    }
}

/// Raw-buffer form of ``constantTimeEquals(_:_:)``.
public func constantTimeEquals(_ lhs: UnsafeRawBufferPointer, _ rhs: UnsafeRawBufferPointer) -> Bool {
    guard lhs.count == rhs.count else { return false }
    guard lhs.count > 0, let a = lhs.baseAddress, let b = rhs.baseAddress else { return true }
    return CRYPTO_memcmp(a, b, lhs.count) == 0
}
