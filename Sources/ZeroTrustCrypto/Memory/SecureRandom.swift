internal import CZeroTrustShims
internal import CZeroTrustSodium

/// Random bytes and numbers from the operating system's CSPRNG (`getrandom(2)` through libsodium's
/// `randombytes_buf`, which cannot fail once libsodium is initialised).
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
        // randombytes_buf needs sodium_init on some platforms; a failed init leaves it on the
        // OS RNG, which is what we want anyway.
        try? Sodium.ensureInitialised()
        randombytes_buf(base, buffer.count)
    }

    /// Fills `buffer` with random bytes for a public identifier (a token's `jti`, an audit event's
    /// id): CSPRNG output served from a per-thread buffer the operating system refills 4 KiB at a
    /// time, so that most draws take no system call and concurrent draws share no lock (`getrandom(2)` costs ~300 ns here, about as much as
    /// verifying a token's HMAC). Consumed bytes are erased from the buffer, and a forked child
    /// discards what it inherited. Never use it for keys or nonces: use ``fill(_:)``.
    package static func fillIdentifier(_ buffer: UnsafeMutableRawBufferPointer) {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        if zt_identifier_random(base, buffer.count) != 0 { fill(buffer) }
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
