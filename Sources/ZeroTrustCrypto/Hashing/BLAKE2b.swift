public import Foundation
internal import CZeroTrustSodium

/// BLAKE2b (RFC 7693) through libsodium's `crypto_generichash`, optionally keyed, with an output of
/// 16 to 64 bytes. One-shot or incremental; copying an incremental hasher forks the state.
///
/// ```swift
/// let digest = try BLAKE2b.hash(Array("abc".utf8))                  // 32-byte output
/// let keyed = try BLAKE2b.hash(data, key: SymmetricKey(size: .bits256), outputByteCount: 64)
/// ```
public struct BLAKE2b: Sendable {
    /// The smallest output length libsodium allows, in bytes.
    public static let minimumOutputByteCount = Int(crypto_generichash_BYTES_MIN)
    /// The largest output length, in bytes.
    public static let maximumOutputByteCount = Int(crypto_generichash_BYTES_MAX)

    /// The output length in bytes.
    public let outputByteCount: Int
    private var state: GenericHashState

    /// Starts an incremental hash, keyed when `key` is given (16 to 64 bytes).
    public init(key: SymmetricKey? = nil, outputByteCount: Int = 32) throws {
        try Sodium.ensureInitialised()
        try Self.validate(key: key, outputByteCount: outputByteCount)
        self.outputByteCount = outputByteCount
        self.state = GenericHashState()
        let status: Int32 =
            if let key {
                key.withUnsafeBytes { k in
                    crypto_generichash_init(state.pointer, k.baseAddress, k.count, outputByteCount)
                }
            } else {
                crypto_generichash_init(state.pointer, nil, 0, outputByteCount)
            }
        guard status == 0 else { throw CryptoError(code: .libraryFailure, message: "crypto_generichash_init failed") }
    }

    /// Feeds `data` into the hash.
    public mutating func update(_ data: some ContiguousBytes) {
        if !isKnownUniquelyReferenced(&state) { state = state.copy() }
        data.withUnsafeBytes { buffer in
            _ = crypto_generichash_update(state.pointer, buffer.bindMemory(to: UInt8.self).baseAddress,
                                          UInt64(buffer.count))
        }
    }

    /// Finishes the hash.
    public consuming func finalize() -> Digest {
        if !isKnownUniquelyReferenced(&state) { state = state.copy() }
        let count = outputByteCount
        let pointer = state.pointer
        return Digest(bytes: [UInt8](unsafeUninitializedCapacity: count) { out, initialized in
            if let base = out.baseAddress { _ = crypto_generichash_final(pointer, base, count) }
            initialized = count
        })
    }

    /// Hashes `data` in one call.
    public static func hash(_ data: some ContiguousBytes, key: SymmetricKey? = nil, outputByteCount: Int = 32) throws -> Digest {
        try Sodium.ensureInitialised()
        try validate(key: key, outputByteCount: outputByteCount)
        let bytes = [UInt8](unsafeUninitializedCapacity: outputByteCount) { out, initialized in
            initialized = 0
            guard let base = out.baseAddress else { return }
            data.withUnsafeBytes { input in
                let inputPointer = input.bindMemory(to: UInt8.self).baseAddress
                if let key {
                    key.withUnsafeBytes { k in
                        _ = crypto_generichash(base, outputByteCount, inputPointer, UInt64(input.count),
                                               k.bindMemory(to: UInt8.self).baseAddress, k.count)
                    }
                } else {
                    _ = crypto_generichash(base, outputByteCount, inputPointer, UInt64(input.count), nil, 0)
                }
            }
            initialized = outputByteCount
        }
        return Digest(bytes: bytes)
    }

    private static func validate(key: SymmetricKey?, outputByteCount: Int) throws(CryptoError) {
        guard (minimumOutputByteCount...maximumOutputByteCount).contains(outputByteCount) else {
            throw CryptoError(code: .invalidParameter,
                              message: "BLAKE2b output must be \(minimumOutputByteCount) to \(maximumOutputByteCount) bytes, not \(outputByteCount)")
        }
        if let key, !(Int(crypto_generichash_KEYBYTES_MIN)...Int(crypto_generichash_KEYBYTES_MAX)).contains(key.byteCount) {
            throw CryptoError(code: .invalidKeySize,
                              message: "BLAKE2b key must be \(crypto_generichash_KEYBYTES_MIN) to \(crypto_generichash_KEYBYTES_MAX) bytes, not \(key.byteCount)")
        }
    }
}

/// libsodium's `crypto_generichash_state`, which must be 64-byte aligned. The state of a keyed hash
/// is derived from the key, so it is wiped on release. Sound as `@unchecked Sendable` for the
/// same copy-on-write reason as `DigestContext`.
final class GenericHashState: @unchecked Sendable {
    /// The state as libsodium's functions take it (the aligned C struct imports as opaque).
    var pointer: OpaquePointer { OpaquePointer(raw) }
    private let raw: UnsafeMutableRawPointer
    private static let byteCount = crypto_generichash_statebytes()

    init() {
        raw = UnsafeMutableRawPointer.allocate(byteCount: Self.byteCount, alignment: 64)
        raw.initializeMemory(as: UInt8.self, repeating: 0, count: Self.byteCount)
    }

    func copy() -> GenericHashState {
        let other = GenericHashState()
        other.raw.copyMemory(from: raw, byteCount: Self.byteCount)
        return other
    }

    deinit {
        sodium_memzero(raw, Self.byteCount)
        raw.deallocate()
    }
}
