public import Foundation
public import ZeroTrustCrypto

/// Decrypts an envelope's segments in constant memory, releasing each segment's plaintext only
/// after it authenticates.
///
/// Create it from a parsed ``EnvelopeHeader`` and the unwrapped data key (the key commitment is
/// checked here, before anything is decrypted), feed the bytes that follow the header with
/// `update(_:output:)`, and call ``finish(output:)`` at the end of input: only then is the final
/// segment opened, so truncation and extension are detected. A segment is recognised as the last
/// one only when input ends, so each non-final segment is released once the first byte after it
/// arrives.
///
/// Plaintext released before a failure is authentic but may be incomplete: write it somewhere
/// temporary until ``finish(output:)`` returns (as ``EnvelopeFile`` and `zt decrypt` do).
///
/// Not `Sendable`: one decryptor per stream.
public final class EnvelopeDecryptor {
    /// The header being decrypted.
    public let header: EnvelopeHeader
    /// Plaintext bytes released so far.
    public private(set) var plaintextByteCount: UInt64 = 0

    private let cipher: SegmentCipher
    private let sealedSegmentSize: Int
    /// Holds a sealed segment that arrived in pieces, and receives every segment's plaintext:
    /// in place when the segment is in it, from the caller's memory otherwise (it is empty then).
    /// Allocated on first streaming use: one-shot and range decryption do not need it.
    private lazy var input = makeBuffer(capacity: sealedSegmentSize)
    /// Bytes of buffer memory this decryptor holds (one sealed segment once streaming started,
    /// whatever the stream length): what the memory-bound tests check.
    package private(set) var bufferedByteCapacity = 0
    private var nextIndex: UInt32 = 0
    private var failed = false
    private var finished = false

    /// Checks the key commitment of `header` against `dataKey` and prepares to decrypt. Throws
    /// ``EnvelopeError/Code/headerAuthenticationFailed`` when the header was altered or the key
    /// is not this envelope's.
    public init(header: EnvelopeHeader, dataKey: SymmetricKey) throws {
        let payloadKey = try EnvelopeKeys.verified(dataKey: dataKey, header: header)
        self.header = header
        cipher = try SegmentCipher(algorithm: header.algorithm, payloadKey: payloadKey, noncePrefix: header.noncePrefix)
        sealedSegmentSize = header.segmentSize + SegmentCipher.tagByteCount
    }

    /// Consumes envelope body bytes (everything after the header), passing the plaintext of each
    /// segment that authenticated, and is known not to be the last, to `output`.
    public func update(_ ciphertext: UnsafeRawBufferPointer, output: (UnsafeRawBufferPointer) throws -> Void) throws {
        try requireUsable()
        var remaining = ciphertext
        while !remaining.isEmpty {
            if input.count == sealedSegmentSize {
                // More input follows a full segment, so that segment is not the last one.
                try openSegment(input.contents, last: false, output: output)
                input.count = 0
            }
            if input.count == 0, remaining.count > sealedSegmentSize {
                try openSegment(UnsafeRawBufferPointer(rebasing: remaining[..<sealedSegmentSize]), last: false, output: output)
                remaining = UnsafeRawBufferPointer(rebasing: remaining[sealedSegmentSize...])
                continue
            }
            let taken = input.fill(from: remaining, upTo: sealedSegmentSize)
            remaining = UnsafeRawBufferPointer(rebasing: remaining[taken...])
        }
    }

    /// Consumes the bytes of `ciphertext`.
    public func update(_ ciphertext: some ContiguousBytes, output: (UnsafeRawBufferPointer) throws -> Void) throws {
        try ciphertext.withUnsafeBytes { try update($0, output: output) }
    }

    /// Opens what is buffered as the final segment. Throws ``EnvelopeError/Code/truncated`` when
    /// fewer than a tag's worth of bytes remain, and ``EnvelopeError/Code/segmentAuthenticationFailed``
    /// when the final segment is not authentic as the last one (cut at a segment boundary, or
    /// data appended).
    public func finish(output: (UnsafeRawBufferPointer) throws -> Void) throws {
        try requireUsable()
        finished = true
        guard input.count >= SegmentCipher.tagByteCount else {
            failed = true
            throw EnvelopeError(code: .truncated,
                                message: "envelope ends \(input.count) bytes into segment \(nextIndex), before its 16-byte tag (byte \(segmentOffset(nextIndex) + UInt64(input.count)))")
        }
        try openSegment(input.contents, last: true, output: output)
        input.count = 0
    }

    /// The byte offset of segment `index` in the envelope.
    func segmentOffset(_ index: UInt32) -> UInt64 {
        UInt64(header.byteCount) + UInt64(index) * UInt64(sealedSegmentSize)
    }

    private func makeBuffer(capacity: Int) -> SegmentBuffer {
        let buffer = SegmentBuffer(capacity: capacity)
        bufferedByteCapacity += buffer.capacity
        return buffer
    }

    private func requireUsable() throws(EnvelopeError) {
        guard !failed, !finished else {
            throw EnvelopeError(code: .invalidParameter, message: "the decryptor already failed or finished")
        }
    }

    private func openSegment(_ sealed: UnsafeRawBufferPointer, last: Bool, output: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard last || nextIndex < UInt32.max else {
            failed = true
            throw EnvelopeError(code: .segmentAuthenticationFailed, message: "envelope continues past the last possible segment")
        }
        try open(sealed, index: nextIndex, last: last, into: input.memory)
        nextIndex &+= 1
        let plaintext = UnsafeRawBufferPointer(rebasing: input.memory[..<(sealed.count - SegmentCipher.tagByteCount)])
        plaintextByteCount += UInt64(plaintext.count)
        try output(plaintext)
    }

    /// Opens segment `index` into `output` (at least `sealed.count − 16` bytes); random access
    /// for one-shot and range decryption. On failure the output is zeroed.
    func open(_ sealed: UnsafeRawBufferPointer, index: UInt32, last: Bool, into output: UnsafeMutableRawBufferPointer) throws {
        guard sealed.count >= SegmentCipher.tagByteCount, cipher.open(sealed, into: output, index: index, last: last) else {
            failed = true
            throw EnvelopeError(code: .segmentAuthenticationFailed,
                                message: "segment \(index)\(last ? " (final)" : "") at byte \(segmentOffset(index)) did not authenticate: tampered, reordered, truncated, extended or from another envelope")
        }
    }

    /// How a body of `bodyByteCount` bytes splits into segments: their count and the plaintext
    /// length. Throws ``EnvelopeError/Code/truncated`` when the final segment is shorter than a tag.
    static func layout(bodyByteCount: UInt64, segmentSize: Int) throws -> (segmentCount: UInt64, plaintextByteCount: UInt64) {
        let sealed = UInt64(segmentSize + SegmentCipher.tagByteCount)
        let count = max(1, (bodyByteCount + sealed - 1) / sealed)
        let finalSealed = bodyByteCount - (count - 1) * sealed
        guard finalSealed >= UInt64(SegmentCipher.tagByteCount) else {
            throw EnvelopeError(code: .truncated,
                                message: "envelope body of \(bodyByteCount) bytes ends \(finalSealed) bytes into segment \(count - 1), before its 16-byte tag")
        }
        guard count <= UInt64(UInt32.max) + 1 else {
            throw EnvelopeError(code: .malformedHeader, message: "envelope body holds more than 2^32 segments")
        }
        return (count, bodyByteCount - count * UInt64(SegmentCipher.tagByteCount))
    }
}
