import Testing
@testable import ZeroTrustCrypto

@Suite("SHA2 into a caller's buffer")
struct SHA2BufferTests {
    @Test("writes the same digest as the allocating hash, for every algorithm")
    func matchesAllocatingHash() throws {
        let message = Array("abc".utf8)
        for algorithm in [HashAlgorithm.sha256, .sha384, .sha512] {
            var output = [UInt8](repeating: 0xee, count: 80)
            let count = try message.withUnsafeBytes { m in
                try output.withUnsafeMutableBytes { try SHA2.hash(m, using: algorithm, into: $0) }
            }
            #expect(count == algorithm.digestByteCount)
            #expect(Array(output[..<count]) == Array(try SHA2.hash(message, using: algorithm).bytes))
            #expect(output[count...].allSatisfy { $0 == 0xee })
        }
        // FIPS 180-2 "abc" vector, so both paths are checked against a known answer too.
        var sha256 = [UInt8](repeating: 0, count: 32)
        _ = try message.withUnsafeBytes { m in try sha256.withUnsafeMutableBytes { try SHA2.hash(m, using: .sha256, into: $0) } }
        #expect(Hex.encode(sha256) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test("refuses an output buffer shorter than the digest")
    func shortBuffer() throws {
        var output = [UInt8](repeating: 0, count: 31)
        #expect { _ = try [UInt8]().withUnsafeBytes { m in try output.withUnsafeMutableBytes { try SHA2.hash(m, using: .sha256, into: $0) } } }
            throws: { ($0 as? CryptoError)?.code == .invalidBuffer }
    }
}
