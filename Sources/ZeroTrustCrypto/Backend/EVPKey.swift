internal import CZeroTrustOpenSSL
internal import CZeroTrustShims

/// Owns one `EVP_PKEY`. Sound as `@unchecked Sendable`: the key is never modified after creation,
/// and OpenSSL 3 allows concurrent operations on one `EVP_PKEY` as long as each uses its own
/// `EVP_PKEY_CTX`, which every function here creates per call.
final class EVPKey: @unchecked Sendable {
    let pkey: OpaquePointer
    /// Prepared signing and verification contexts for this key.
    let contextPool = PKeyContextPool()

    init(taking pkey: OpaquePointer) { self.pkey = pkey }

    deinit { EVP_PKEY_free(pkey) }

    /// Whether OpenSSL's key type name matches, e.g. "EC", "RSA", "ED25519", "X25519".
    func isA(_ name: String) -> Bool { EVP_PKEY_is_a(pkey, name) == 1 }

    /// The size of the key in bits (modulus size for RSA, field size for EC).
    var bitCount: Int { Int(EVP_PKEY_get_bits(pkey)) }

    /// The EC group name as OpenSSL reports it (e.g. "prime256v1"), or nil.
    var groupName: String? {
        var buffer = [CChar](repeating: 0, count: 64)
        var length = 0
        guard EVP_PKEY_get_group_name(pkey, &buffer, buffer.count, &length) == 1 else { return nil }
        return String(decoding: buffer.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    // MARK: DER

    /// Parses a PKCS#8 `PrivateKeyInfo`; the bytes must be exactly one DER structure.
    static func parsePKCS8(_ der: UnsafeRawBufferPointer) throws(CryptoError) -> EVPKey {
        OpenSSLErrorQueue.clear()
        guard let base = der.baseAddress?.assumingMemoryBound(to: UInt8.self), der.count > 0 else {
            throw CryptoError(code: .malformedDER, message: "empty PKCS#8 private key")
        }
        var cursor: UnsafePointer<UInt8>? = UnsafePointer(base)
        guard let info = d2i_PKCS8_PRIV_KEY_INFO(nil, &cursor, der.count) else {
            throw CryptoError.openSSL(.malformedDER, "not a DER PKCS#8 PrivateKeyInfo")
        }
        defer { PKCS8_PRIV_KEY_INFO_free(info) }
        try requireFullyConsumed(cursor, base: base, count: der.count, what: "PKCS#8 private key")
        guard let pkey = EVP_PKCS82PKEY(info) else {
            throw CryptoError.openSSL(.invalidKey, "PKCS#8 private key holds an unsupported or invalid key")
        }
        return EVPKey(taking: pkey)
    }

    /// Parses an X.509 `SubjectPublicKeyInfo`; the bytes must be exactly one DER structure.
    static func parseSPKI(_ der: UnsafeRawBufferPointer) throws(CryptoError) -> EVPKey {
        OpenSSLErrorQueue.clear()
        guard let base = der.baseAddress?.assumingMemoryBound(to: UInt8.self), der.count > 0 else {
            throw CryptoError(code: .malformedDER, message: "empty SubjectPublicKeyInfo")
        }
        var cursor: UnsafePointer<UInt8>? = UnsafePointer(base)
        guard let pkey = d2i_PUBKEY(nil, &cursor, der.count) else {
            throw CryptoError.openSSL(.malformedDER, "not a DER SubjectPublicKeyInfo, or an invalid public key")
        }
        let key = EVPKey(taking: pkey)
        try requireFullyConsumed(cursor, base: base, count: der.count, what: "SubjectPublicKeyInfo")
        return key
    }

    private static func requireFullyConsumed(_ cursor: UnsafePointer<UInt8>?, base: UnsafePointer<UInt8>, count: Int,
                                             what: String) throws(CryptoError) {
        let consumed = cursor.map { $0 - base } ?? 0
        guard consumed == count else {
            throw CryptoError(code: .malformedDER, message: "\(what) has \(count - consumed) bytes of trailing data at byte offset \(consumed)")
        }
    }

    /// The key as PKCS#8 DER, in secure memory.
    func pkcs8DER() throws(CryptoError) -> SecureBytes {
        OpenSSLErrorQueue.clear()
        guard let info = EVP_PKEY2PKCS8(pkey) else { throw CryptoError.openSSLFailure("EVP_PKEY2PKCS8") }
        defer { PKCS8_PRIV_KEY_INFO_free(info) }
        let length = i2d_PKCS8_PRIV_KEY_INFO(info, nil)
        guard length > 0 else { throw CryptoError.openSSLFailure("i2d_PKCS8_PRIV_KEY_INFO") }
        return try SecureBytes(count: Int(length)) { (out) throws(CryptoError) in
            var cursor = out.baseAddress?.assumingMemoryBound(to: UInt8.self)
            guard i2d_PKCS8_PRIV_KEY_INFO(info, &cursor) == length else {
                throw CryptoError.openSSLFailure("i2d_PKCS8_PRIV_KEY_INFO")
            }
        }
    }

    /// The public key as SubjectPublicKeyInfo DER.
    func spkiDER() throws(CryptoError) -> [UInt8] {
        OpenSSLErrorQueue.clear()
        let length = i2d_PUBKEY(pkey, nil)
        guard length > 0 else { throw CryptoError.openSSLFailure("i2d_PUBKEY") }
        var failed = false
        let bytes = [UInt8](unsafeUninitializedCapacity: Int(length)) { out, count in
            var cursor = out.baseAddress
            failed = i2d_PUBKEY(pkey, &cursor) != length
            count = failed ? 0 : Int(length)
        }
        if failed { throw CryptoError.openSSLFailure("i2d_PUBKEY") }
        return bytes
    }

    // MARK: Raw keys (Ed25519, X25519)

    static func rawPrivate(type: String, _ bytes: UnsafeRawBufferPointer) throws(CryptoError) -> EVPKey {
        OpenSSLErrorQueue.clear()
        guard let pkey = EVP_PKEY_new_raw_private_key_ex(nil, type, nil, bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), bytes.count) else {
            throw CryptoError.openSSL(.invalidKey, "invalid raw \(type) private key")
        }
        return EVPKey(taking: pkey)
    }

    static func rawPublic(type: String, _ bytes: UnsafeRawBufferPointer) throws(CryptoError) -> EVPKey {
        OpenSSLErrorQueue.clear()
        guard let pkey = EVP_PKEY_new_raw_public_key_ex(nil, type, nil, bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), bytes.count) else {
            throw CryptoError.openSSL(.invalidKey, "invalid raw \(type) public key")
        }
        return EVPKey(taking: pkey)
    }

    func rawPrivateKey(count: Int) throws(CryptoError) -> SecureBytes {
        try SecureBytes(count: count) { (out) throws(CryptoError) in
            var length = out.count
            guard EVP_PKEY_get_raw_private_key(pkey, out.baseAddress?.assumingMemoryBound(to: UInt8.self), &length) == 1,
                  length == count
            else { throw CryptoError.openSSLFailure("EVP_PKEY_get_raw_private_key") }
        }
    }

    func rawPublicKey(count: Int) throws(CryptoError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var length = count
        guard EVP_PKEY_get_raw_public_key(pkey, &bytes, &length) == 1, length == count else {
            throw CryptoError.openSSLFailure("EVP_PKEY_get_raw_public_key")
        }
        return bytes
    }

    // MARK: Parameters

    /// A big-number parameter ("n", "e", "priv", …) as big-endian bytes, left-padded to `padTo`.
    func bigNumber(_ name: String, padTo: Int = 0) throws(CryptoError) -> SecureBytes {
        let needed = zt_pkey_get_bn_param(pkey, name, nil, 0, padTo)
        guard needed >= 0 else { throw CryptoError.openSSLFailure("EVP_PKEY_get_bn_param(\(name))") }
        return try SecureBytes(count: Int(needed)) { (out) throws(CryptoError) in
            guard zt_pkey_get_bn_param(pkey, name, out.baseAddress, out.count, padTo) == needed else {
                throw CryptoError.openSSLFailure("EVP_PKEY_get_bn_param(\(name))")
            }
        }
    }

    /// An octet-string parameter, e.g. the encoded public point of an EC key.
    func octetString(_ name: String, capacity: Int) throws(CryptoError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: capacity)
        var length = 0
        guard EVP_PKEY_get_octet_string_param(pkey, name, &bytes, capacity, &length) == 1 else {
            throw CryptoError.openSSLFailure("EVP_PKEY_get_octet_string_param(\(name))")
        }
        return Array(bytes.prefix(length))
    }
}

// MARK: PEM and type checks shared by every key type

extension EVPKey {
    /// OpenSSL's name of the key type, e.g. "RSA" or "ED25519".
    var typeName: String {
        EVP_PKEY_get0_type_name(pkey).map { String(cString: $0) } ?? "unknown"
    }

    /// Throws ``CryptoError/Code/keyTypeMismatch`` unless the key is of OpenSSL type `type`.
    func require(type: String, as description: String) throws(CryptoError) {
        guard isA(type) else {
            throw CryptoError(code: .keyTypeMismatch, message: "the key is \(typeName), expected \(description)")
        }
    }

    /// A private key from PKCS#8 PEM (`PRIVATE KEY`).
    static func privateKey(pem: String) throws(CryptoError) -> EVPKey {
        let document = try PEMDocument.parseOne(pem, labels: ["PRIVATE KEY"])
        return try document.der.withUnsafeBytes { (der) throws(CryptoError) in try parsePKCS8(der) }
    }

    /// A public key from SubjectPublicKeyInfo PEM (`PUBLIC KEY`).
    static func publicKey(pem: String) throws(CryptoError) -> EVPKey {
        let document = try PEMDocument.parseOne(pem, labels: ["PUBLIC KEY"])
        return try document.der.withUnsafeBytes { (der) throws(CryptoError) in try parseSPKI(der) }
    }

    /// PKCS#8 PEM text.
    func privatePEM() throws(CryptoError) -> String {
        try pkcs8DER().withUnsafeBytes { PEMDocument.encode(label: "PRIVATE KEY", der: $0) }
    }

    /// SubjectPublicKeyInfo PEM text.
    func publicPEM() throws(CryptoError) -> String {
        try spkiDER().withUnsafeBytes { PEMDocument.encode(label: "PUBLIC KEY", der: $0) }
    }
}
