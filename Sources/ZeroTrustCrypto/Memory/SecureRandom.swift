internal import CZeroTrustOpenSSL
internal import CZeroTrustSodium

/// Random bytes and numbers from a CSPRNG: OpenSSL's `RAND_bytes` (the per-thread NIST SP 800-90A
/// CTR_DRBG, seeded and periodically reseeded from the operating system, reseeded after `fork`),
/// falling back to libsodium's `randombytes_buf` (`getrandom(2)` on every call) should OpenSSL ever
/// report a failure. The DRBG matters on hot paths: every issued token and audit event draws 16
/// bytes, and a system call for each cost more than the rest of the draw.
public enum SecureRandom {
    /// `count` random bytes.
    public static func bytes(count: Int) -> [UInt8] {
        precondition(count >= 0, "count must not be negative")
        return [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            fill(UnsafeMutableRawBufferPointer(buffer))
            initialized = count
        }
    }

    /// Fills `buffer` with random bytes.
    public static func fill(_ buffer: UnsafeMutableRawBufferPointer) {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        if buffer.count <= Int(Int32.max), RAND_bytes(base.assumingMemoryBound(to: UInt8.self), Int32(buffer.count)) == 1 {
            return
        }
        // randombytes_buf needs sodium_init on some platforms; a failed init leaves it on the
        // OS RNG, which is what we want anyway.
        try? Sodium.ensureInitialised()
        randombytes_buf(base, buffer.count)
    }

    /// A uniformly random 64-bit integer.
    public static func uint64() -> UInt64 {
        var value: UInt64 = 0
        withUnsafeMutableBytes(of: &value) { fill($0) }
        return value
    }

    /// A uniformly random integer in `0..<upperBound`, without modulo bias.
    public static func uniform(below upperBound: UInt64) -> UInt64 {
        precondition(upperBound > 0, "upperBound must be positive")
        // Reject values in the final partial range so every residue is equally likely.
        let limit = UInt64.max - (UInt64.max % upperBound + 1) % upperBound
        while true {
            let value = uint64()
            if value <= limit { return value % upperBound }
        }
    }
}
