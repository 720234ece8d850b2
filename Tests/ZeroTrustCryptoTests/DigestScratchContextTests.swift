import Testing
@testable import ZeroTrustCrypto

@Suite("A reused digest context hashing into a caller's buffer")
struct DigestScratchContextTests {
    @Test("every hash through one context equals the one-shot hash, for every algorithm")
    func matchesOneShotHash() throws {
        let messages: [[UInt8]] = [Array("abc".utf8), [], Array(repeating: 0x61, count: 1_000_003), Array("abc".utf8)]
        for algorithm in [HashAlgorithm.sha256, .sha384, .sha512] {
            let context = try DigestScratchContext(algorithm)
            for message in messages {
                var output = [UInt8](repeating: 0xee, count: 80)
                let count = try message.withUnsafeBytes { m in try output.withUnsafeMutableBytes { try context.hash(m, into: $0) } }
                #expect(count == algorithm.digestByteCount)
                #expect(Array(output[..<count]) == Array(try SHA2.hash(message, using: algorithm).bytes))
                #expect(output[count...].allSatisfy { $0 == 0xee })
            }
        }
        // FIPS 180-2 "abc" vector, hashed after other messages, so reuse is checked against a known answer too.
        let context = try DigestScratchContext(.sha256)
        var sha256 = [UInt8](repeating: 0, count: 32)
        for message in [Array("abcd".utf8), Array("abc".utf8)] {
            _ = try message.withUnsafeBytes { m in try sha256.withUnsafeMutableBytes { try context.hash(m, into: $0) } }
        }
        #expect(Hex.encode(sha256) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test("refuses an output buffer shorter than the digest")
    func shortBuffer() throws {
        let context = try DigestScratchContext(.sha256)
        var output = [UInt8](repeating: 0, count: 31)
        #expect { _ = try [UInt8]().withUnsafeBytes { m in try output.withUnsafeMutableBytes { try context.hash(m, into: $0) } } }
            throws: { ($0 as? CryptoError)?.code == .invalidBuffer }
    }
}
