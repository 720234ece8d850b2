public import Foundation
internal import CZeroTrustOpenSSL

/// An ECDSA signature (r, s) on `Curve`, convertible between the fixed-width `r ‖ s` form
/// (IEEE P1363, used by JWS) and DER (used by X.509).
public struct ECDSASignature<Curve: ECDSACurve>: Sendable, Hashable {
    /// `r ‖ s`, each left-padded to the curve's coordinate length.
    public let rawRepresentation: [UInt8]

    /// A signature from `r ‖ s`; the length must be exactly twice the coordinate length.
    public init(rawRepresentation: some ContiguousBytes) throws {
        let bytes = rawRepresentation.withUnsafeBytes { Array($0) }
        let expected = 2 * Curve.curve.coordinateByteCount
        guard bytes.count == expected else {
            throw CryptoError(code: .invalidSignatureEncoding,
                              message: "a \(Curve.curve.rawValue) signature is \(expected) bytes (r ‖ s), got \(bytes.count)")
        }
        self.rawRepresentation = bytes
    }

    /// A signature from strict DER: the bytes must be exactly the canonical DER encoding of one
    /// `ECDSA-Sig-Value`, with no trailing data (BER variants are refused).
    public init(derRepresentation: some ContiguousBytes) throws {
        try self.init(der: derRepresentation, requireCanonical: true)
    }

    /// A signature OpenSSL just produced: its DER is canonical by construction, so the
    /// re-encoding check (≈ 0.4 µs) is skipped.
    init(producedDER der: [UInt8]) throws {
        try self.init(der: der, requireCanonical: false)
    }

    private init(der derRepresentation: some ContiguousBytes, requireCanonical: Bool) throws {
        let n = Curve.curve.coordinateByteCount
        let raw: [UInt8] = try derRepresentation.withUnsafeBytes { (der) throws(CryptoError) in
            guard let base = der.baseAddress?.assumingMemoryBound(to: UInt8.self), der.count > 0 else {
                throw CryptoError(code: .invalidSignatureEncoding, message: "empty DER signature")
            }
            OpenSSLErrorQueue.clear()
            var cursor: UnsafePointer<UInt8>? = UnsafePointer(base)
            guard let sig = d2i_ECDSA_SIG(nil, &cursor, der.count) else {
                OpenSSLErrorQueue.clear()
                throw CryptoError(code: .invalidSignatureEncoding, message: "not a DER ECDSA signature")
            }
            defer { ECDSA_SIG_free(sig) }
            let consumed = cursor.map { $0 - base } ?? 0
            guard consumed == der.count else {
                throw CryptoError(code: .invalidSignatureEncoding, message: "DER signature has trailing data at byte offset \(consumed)")
            }
            // Re-encode and compare, as OpenSSL's own verifier does, to refuse non-canonical DER.
            if requireCanonical, !(try Self.encode(sig)).elementsEqual(UnsafeRawBufferPointer(der)) {
                throw CryptoError(code: .invalidSignatureEncoding, message: "DER signature is not in canonical form")
            }
            var r: OpaquePointer?, s: OpaquePointer?
            ECDSA_SIG_get0(sig, &r, &s)
            var raw = [UInt8](repeating: 0, count: 2 * n)
            let fits = raw.withUnsafeMutableBufferPointer { out -> Bool in
                guard let base = out.baseAddress else { return false }
                return BN_bn2binpad(r, base, Int32(n)) == n && BN_bn2binpad(s, base + n, Int32(n)) == n
            }
            guard fits else {
                throw CryptoError(code: .invalidSignatureEncoding, message: "DER signature values are larger than the \(Curve.curve.rawValue) order")
            }
            return raw
        }
        self.rawRepresentation = raw
    }

    /// The canonical DER encoding.
    public var derRepresentation: [UInt8] {
        get throws { try withSignature { (sig) throws(CryptoError) in try Self.encode(sig) } }
    }

    /// Gives `body` an `ECDSA_SIG` built from r and s.
    func withSignature<R>(_ body: (OpaquePointer) throws(CryptoError) -> R) throws(CryptoError) -> R {
        let n = Curve.curve.coordinateByteCount
        OpenSSLErrorQueue.clear()
        guard let sig = ECDSA_SIG_new() else { throw CryptoError.openSSLFailure("ECDSA_SIG_new") }
        defer { ECDSA_SIG_free(sig) }
        let (r, s) = rawRepresentation.withUnsafeBufferPointer { raw in
            (BN_bin2bn(raw.baseAddress, Int32(n), nil), BN_bin2bn(raw.baseAddress.map { $0 + n }, Int32(n), nil))
        }
        guard let r, let s, ECDSA_SIG_set0(sig, r, s) == 1 else {
            BN_free(r)
            BN_free(s)
            throw CryptoError.openSSLFailure("ECDSA_SIG_set0")
        }
        return try body(sig)
    }

    private static func encode(_ sig: OpaquePointer) throws(CryptoError) -> [UInt8] {
        let length = i2d_ECDSA_SIG(sig, nil)
        guard length > 0 else { throw CryptoError.openSSLFailure("i2d_ECDSA_SIG") }
        var bytes = [UInt8](repeating: 0, count: Int(length))
        let written = bytes.withUnsafeMutableBufferPointer { out -> Int32 in
            var cursor = out.baseAddress
            return i2d_ECDSA_SIG(sig, &cursor)
        }
        guard written == length else { throw CryptoError.openSSLFailure("i2d_ECDSA_SIG") }
        return bytes
    }
}
