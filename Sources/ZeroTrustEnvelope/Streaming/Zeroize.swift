/// Overwrites a buffer that held secret bytes. Best effort for memory this module owns (segment
/// buffers, `[UInt8]` temporaries); long-lived secrets live in `SecureBytes`, which is wiped with
/// `sodium_memzero`. Not inlined, so the store cannot be proven dead and removed.
@inline(never)
func zeroize(_ buffer: UnsafeMutableRawBufferPointer) {
    guard buffer.count > 0 else { return }
    buffer.initializeMemory(as: UInt8.self, repeating: 0)
}
