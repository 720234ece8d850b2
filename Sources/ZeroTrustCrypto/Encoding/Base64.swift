internal import CZeroTrustSodium

/// Base64 through libsodium, whose decoder runs in constant time (safe for key material) and is
/// strict about padding and alphabet.
package enum Base64 {
    /// The alphabet and padding of an encoding.
    package enum Variant: Sendable {
        /// RFC 4648 §4 with `=` padding (PEM, JSON Web Key `x5c`).
        case standard
        /// RFC 4648 §5 without padding (JWS, JWK).
        case urlSafeUnpadded

        var sodiumVariant: Int32 {
            switch self {
            case .standard: sodium_base64_VARIANT_ORIGINAL
            case .urlSafeUnpadded: sodium_base64_VARIANT_URLSAFE_NO_PADDING
            }
        }
    }

    /// Encodes `bytes`.
    package static func encode(_ bytes: UnsafeRawBufferPointer, variant: Variant) -> String {
        let length = sodium_base64_encoded_len(bytes.count, variant.sodiumVariant)
        var output = [CChar](repeating: 0, count: length)
        output.withUnsafeMutableBufferPointer { out in
            guard let base = out.baseAddress else { return }
            _ = sodium_bin2base64(base, length, bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), bytes.count,
                                  variant.sodiumVariant)
        }
        return String(decoding: output.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Encodes an array of bytes.
    package static func encode(_ bytes: [UInt8], variant: Variant) -> String {
        bytes.withUnsafeBytes { encode($0, variant: variant) }
    }

    /// The decoded length of `text`'s bytes, or nil when they are not valid base64 of `variant`.
    /// `ignoring` lists characters to skip (e.g. line breaks in PEM).
    package static func decodeSecure(_ text: UnsafeRawBufferPointer, variant: Variant, ignoring: String? = nil) -> SecureBytes? {
        // Decoded data is never longer than 3/4 of the text.
        let capacity = text.count / 4 * 3 + 3
        var decodedLength = 0
        var ok = false
        let buffer = SecureBytes(count: capacity) { out in
            guard let outBase = out.baseAddress?.assumingMemoryBound(to: UInt8.self),
                  let textBase = text.baseAddress?.assumingMemoryBound(to: CChar.self)
            else {
                ok = text.count == 0
                return
            }
            var end: UnsafePointer<CChar>?
            let status: Int32 =
                if let ignoring {
                    ignoring.withCString { ignore in
                        sodium_base642bin(outBase, capacity, textBase, text.count, ignore, &decodedLength, &end,
                                          variant.sodiumVariant)
                    }
                } else {
                    sodium_base642bin(outBase, capacity, textBase, text.count, nil, &decodedLength, &end,
                                      variant.sodiumVariant)
                }
            // The whole text must be consumed: sodium stops at the first invalid character.
            ok = status == 0 && end.map { $0 == textBase + text.count } ?? false
        }
        guard ok else { return nil }
        if decodedLength == buffer.count { return buffer }
        return buffer.withUnsafeBytes { SecureBytes(copying: UnsafeRawBufferPointer(rebasing: $0[..<decodedLength])) }
    }

    /// Decodes non-secret base64 text into an array, or nil when it is invalid.
    package static func decode(_ text: some StringProtocol, variant: Variant) -> [UInt8]? {
        var text = String(text)
        return text.withUTF8 { utf8 in
            decodeSecure(UnsafeRawBufferPointer(utf8), variant: variant).map { secure in
                secure.withUnsafeBytes { Array($0) }
            }
        }
    }
}
