/// FNV-1a 64 content hashes, printed `fnv1a64:<16 hex digits>`.
///
/// Stable across processes and machines (unlike `Hasher`). It identifies content; it does not
/// authenticate it: anyone can craft a different policy file with the same FNV-1a hash.
public enum ContentHash {
    /// FNV-1a 64 of the UTF-8 bytes of `text`, as `fnv1a64:` and 16 lowercase hex digits.
    public static func fnv1a64(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        let hex = String(hash, radix: 16)
        return "fnv1a64:" + String(repeating: "0", count: 16 - hex.count) + hex
    }
}
