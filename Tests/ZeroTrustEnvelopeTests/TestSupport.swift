import Foundation
import Testing
import ZeroTrustCrypto
@testable import ZeroTrustEnvelope
import ZeroTrustKitTesting

/// Deterministic pseudo-random bytes (SplitMix64), so failures reproduce.
func testBytes(_ count: Int, seed: UInt64 = 1) -> [UInt8] {
    var state = seed
    return (0..<count).map { _ in
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return UInt8(truncatingIfNeeded: z ^ (z >> 31))
    }
}

/// A deterministic generator for random positions and sizes in tests.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// An InMemoryKMS with key `k` (and `other`, another key) ready.
func makeKMS(algorithm: EnvelopeAlgorithm = .aes256GCM) async -> InMemoryKMS {
    let kms = InMemoryKMS()
    await kms.createKey("k", algorithm: algorithm)
    await kms.createKey("other", algorithm: algorithm)
    return kms
}

/// Runs `body` and returns the `EnvelopeError` it throws; records an issue when it returns or
/// throws anything else.
@discardableResult
func envelopeError(sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void) async -> EnvelopeError? {
    do {
        try await body()
        Issue.record("expected an EnvelopeError, nothing was thrown", sourceLocation: sourceLocation)
    } catch let error as EnvelopeError {
        return error
    } catch {
        Issue.record("expected an EnvelopeError, got \(error)", sourceLocation: sourceLocation)
    }
    return nil
}

/// Expects `body` to throw an `EnvelopeError` with `code`.
func expectEnvelopeError(_ code: EnvelopeError.Code, sourceLocation: SourceLocation = #_sourceLocation,
                         _ body: () async throws -> Void) async {
    let error = await envelopeError(sourceLocation: sourceLocation, body)
    #expect(error?.code == code, "got \(String(describing: error))", sourceLocation: sourceLocation)
}

/// The codes that mean "this envelope is not authentic" (as opposed to usage or I/O errors).
let integrityCodes: Set<EnvelopeError.Code> = [
    .malformedHeader, .unsupportedVersion, .unsupportedAlgorithm, .headerAuthenticationFailed, .segmentAuthenticationFailed,
    .truncated, .unwrapFailed, .malformedWrappedKey, .invalidContext, .keyNotFound, .keyVersionNotFound,
]

/// A fresh temporary directory, removed by the caller.
func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("zt-envelope-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// An async sequence of the given chunks.
func chunkStream(_ chunks: [[UInt8]]) -> AsyncStream<[UInt8]> {
    AsyncStream { continuation in
        for chunk in chunks { continuation.yield(chunk) }
        continuation.finish()
    }
}

/// Splits `bytes` into chunks of random sizes from 1 to `maximum`.
func randomChunks(_ bytes: [UInt8], maximum: Int, generator: inout SeededGenerator) -> [[UInt8]] {
    var chunks: [[UInt8]] = []
    var offset = 0
    while offset < bytes.count {
        let size = Int.random(in: 1...maximum, using: &generator)
        chunks.append(Array(bytes[offset..<min(bytes.count, offset + size)]))
        offset += size
    }
    return chunks
}
