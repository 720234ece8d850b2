/// A fixed-capacity byte buffer that is zeroed before it is freed (it held plaintext).
final class SegmentBuffer {
    let memory: UnsafeMutableRawBufferPointer
    var count = 0

    init(capacity: Int) {
        memory = UnsafeMutableRawBufferPointer.allocate(byteCount: max(capacity, 1), alignment: 16)
        memory.initializeMemory(as: UInt8.self, repeating: 0)
    }

    deinit {
        zeroize(memory)
        memory.deallocate()
    }

    var capacity: Int { memory.count }
    var contents: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: memory[..<count]) }

    /// Appends as much of `input` as fits and returns how many bytes were taken.
    func fill(from input: UnsafeRawBufferPointer, upTo limit: Int) -> Int {
        let taken = min(limit - count, input.count)
        guard taken > 0, let source = input.baseAddress, let destination = memory.baseAddress else { return 0 }
        (destination + count).copyMemory(from: source, byteCount: taken)
        count += taken
        return taken
    }
}
