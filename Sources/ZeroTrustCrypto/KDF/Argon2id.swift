public import Foundation
internal import CZeroTrustSodium

/// Argon2id (RFC 9106) through libsodium's `crypto_pwhash`, for turning a passphrase into a key
/// (e.g. a KMS master key). Parallelism is 1, as libsodium implements it.
///
/// ```swift
/// let salt = SecureRandom.bytes(count: Argon2id.saltByteCount)
/// let key = try Argon2id.deriveKey(password: passphrase, salt: salt, outputByteCount: 32,
///                                  parameters: .moderate)
/// ```
/// Store the salt and the parameters beside what the key protects; both are needed to derive it again.
public enum Argon2id {
    /// The cost of one derivation.
    public struct Parameters: Sendable, Hashable, Codable {
        /// Passes over memory (Argon2's t); at least 1.
        public let iterations: UInt64
        /// Memory in bytes (Argon2's m × 1024); at least 8 KiB.
        public let memoryBytes: UInt64

        /// Custom costs.
        public init(iterations: UInt64, memoryBytes: UInt64) {
            self.iterations = iterations
            self.memoryBytes = memoryBytes
        }

        /// libsodium's interactive costs (2 passes, 64 MiB): logins and tests.
        public static let interactive = Parameters(iterations: UInt64(crypto_pwhash_opslimit_interactive()),
                                                   memoryBytes: UInt64(crypto_pwhash_memlimit_interactive()))
        /// libsodium's moderate costs (3 passes, 256 MiB): the default for key-encryption keys.
        public static let moderate = Parameters(iterations: UInt64(crypto_pwhash_opslimit_moderate()),
                                                memoryBytes: UInt64(crypto_pwhash_memlimit_moderate()))
        /// libsodium's sensitive costs (4 passes, 1 GiB).
        public static let sensitive = Parameters(iterations: UInt64(crypto_pwhash_opslimit_sensitive()),
                                                 memoryBytes: UInt64(crypto_pwhash_memlimit_sensitive()))
    }

    /// The salt length: 16 bytes.
    public static let saltByteCount = Int(crypto_pwhash_saltbytes())

    /// Derives `outputByteCount` (at least 16) bytes from `password` and a 16-byte `salt`.
    public static func deriveKey(password: SecureBytes, salt: some ContiguousBytes, outputByteCount: Int,
                                 parameters: Parameters) throws -> SymmetricKey {
        try Sodium.ensureInitialised()
        let saltBytes = salt.withUnsafeBytes { Array($0) }
        guard saltBytes.count == saltByteCount else {
            throw CryptoError(code: .invalidParameter, message: "Argon2id salt must be \(saltByteCount) bytes, got \(saltBytes.count)")
        }
        guard outputByteCount >= Int(crypto_pwhash_bytes_min()) else {
            throw CryptoError(code: .invalidParameter, message: "Argon2id output must be at least \(crypto_pwhash_bytes_min()) bytes")
        }
        guard parameters.iterations >= UInt64(crypto_pwhash_opslimit_min()),
              parameters.iterations <= UInt64(crypto_pwhash_opslimit_max()),
              parameters.memoryBytes >= UInt64(crypto_pwhash_memlimit_min()),
              parameters.memoryBytes <= UInt64(crypto_pwhash_memlimit_max())
        else {
            throw CryptoError(code: .invalidParameter,
                              message: "Argon2id costs out of range: iterations \(parameters.iterations), memory \(parameters.memoryBytes) bytes")
        }
        var status: Int32 = -1
        let output = SecureBytes(count: outputByteCount) { (out: UnsafeMutablePointer<UInt8>) in
            password.withBytePointer { p in
                saltBytes.withUnsafeBufferPointer { s in
                    guard let saltPointer = s.baseAddress else { return }
                    p.withMemoryRebound(to: CChar.self, capacity: max(password.count, 1)) { passwordPointer in
                        status = crypto_pwhash(out, UInt64(outputByteCount), passwordPointer, UInt64(password.count), saltPointer,
                                               parameters.iterations, Int(parameters.memoryBytes), crypto_pwhash_alg_argon2id13())
                    }
                }
            }
        }
        guard status == 0 else {
            throw CryptoError(code: .libraryFailure, message: "Argon2id derivation failed (not enough memory for \(parameters.memoryBytes) bytes?)")
        }
        return SymmetricKey(bytes: output)
    }
}
