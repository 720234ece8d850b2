extension SymmetricKey {
    /// The 256-bit key held by a key file's `contents`: exactly 32 raw bytes, or their standard
    /// base64 on one line (a trailing newline is ignored); nil otherwise. Shared by every module
    /// that reads key files (KMS master keys, the gatekeeper's HMAC and pepper keys), so they all
    /// accept the same two forms. The decoded bytes never leave secure memory.
    package static func fromKeyFile(_ contents: SecureBytes) -> SymmetricKey? {
        if contents.count == 32 { return SymmetricKey(bytes: contents) }
        let decoded: SecureBytes? = contents.withUnsafeBytes { raw in
            var end = raw.count
            while end > 0, raw[end - 1] == UInt8(ascii: "\n") || raw[end - 1] == UInt8(ascii: "\r") { end -= 1 }
            return Base64.decodeSecure(UnsafeRawBufferPointer(rebasing: raw[..<end]), variant: .standard)
        }
        guard let decoded, decoded.count == 32 else { return nil }
        return SymmetricKey(bytes: decoded)
    }
}
