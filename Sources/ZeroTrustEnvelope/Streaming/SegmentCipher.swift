import Foundation
import ZeroTrustCrypto

/// The STREAM construction (Hoang, Reyhanitabar, Rogaway, Vizár, "Online Authenticated-Encryption
/// and its Nonce-Reuse Misuse-Resistance", CRYPTO 2015), as in Tink's streaming AEAD and age:
/// segment i is sealed under the payload key with nonce
/// `prefix ‖ i (4 bytes, big-endian) ‖ last (0x01 for the final segment, else 0x00)` and empty
/// associated data. The index stops reordering, dropping and duplicating; the flag stops
/// truncation and extension; the per-envelope key and prefix stop splicing between envelopes.
///
/// Owns one keyed ``AEADContext`` and a nonce buffer: sealing and opening allocate nothing.
final class SegmentCipher {
    static let tagByteCount = 16

    private let context: AEADContext
    private let nonce: UnsafeMutableRawBufferPointer
    private let prefixByteCount: Int

    init(algorithm: EnvelopeAlgorithm, payloadKey: SymmetricKey, noncePrefix: some ContiguousBytes) throws {
        context = try AEADContext(algorithm: algorithm.aead, key: payloadKey)
        let nonce = UnsafeMutableRawBufferPointer.allocate(byteCount: algorithm.aead.nonceByteCount, alignment: 8)
        nonce.initializeMemory(as: UInt8.self, repeating: 0)
        prefixByteCount = noncePrefix.withUnsafeBytes { prefix in
            UnsafeMutableRawBufferPointer(rebasing: nonce[..<prefix.count]).copyMemory(from: prefix)
            return prefix.count
        }
        self.nonce = nonce
    }

    deinit { nonce.deallocate() }

    private func setNonce(index: UInt32, last: Bool) {
        nonce.storeBytes(of: index.bigEndian, toByteOffset: prefixByteCount, as: UInt32.self)
        nonce[prefixByteCount + 4] = last ? 1 : 0
    }

    /// Seals `plaintext` into `output` (`plaintext.count + 16` bytes: ciphertext then tag).
    /// `output` may start at the same address as `plaintext` (in place).
    func seal(_ plaintext: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer, index: UInt32, last: Bool) throws {
        setNonce(index: index, last: last)
        let count = plaintext.count
        try context.seal(plaintext, nonce: UnsafeRawBufferPointer(nonce), authenticating: UnsafeRawBufferPointer(start: nil, count: 0),
                         into: UnsafeMutableRawBufferPointer(rebasing: output[..<count]),
                         tag: UnsafeMutableRawBufferPointer(rebasing: output[count..<(count + Self.tagByteCount)]))
    }

    /// Opens `sealed` (ciphertext then 16-byte tag) into `output` (`sealed.count − 16` bytes). On
    /// failure `output` is zeroed and false is returned.
    func open(_ sealed: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer, index: UInt32, last: Bool) -> Bool {
        setNonce(index: index, last: last)
        let count = sealed.count - Self.tagByteCount
        do {
            try context.open(UnsafeRawBufferPointer(rebasing: sealed[..<count]),
                             tag: UnsafeRawBufferPointer(rebasing: sealed[count...]), nonce: UnsafeRawBufferPointer(nonce),
                             authenticating: UnsafeRawBufferPointer(start: nil, count: 0),
                             into: UnsafeMutableRawBufferPointer(rebasing: output[..<count]))
            return true
        } catch {
            return false
        }
    }
}
