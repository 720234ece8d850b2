import Foundation
import Testing
import ZeroTrustCrypto
@testable import ZeroTrustEnvelope

/// The worked example of Documentation/EnvelopeFormat.md, byte for byte: if this test fails, the
/// format changed and the document (and the format version) must change with it.
@Suite("EnvelopeFormat.md worked example")
struct WorkedExampleTests {
    static let dataKey = SymmetricKey(data: Array(0x00...0x1f).map(UInt8.init))
    static let kek = SymmetricKey(data: Array(0x40...0x5f).map(UInt8.init))
    static let wrapNonce = [UInt8](repeating: 0x77, count: 12)
    static let salt = Array(0x20...0x3f).map(UInt8.init)
    static let prefix: [UInt8] = [0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6]
    static let context: EncryptionContext = ["data_id": "ds-1"]
    static let plaintext = Array("Zero Trust for ML pipelines!".utf8)

    /// The example's wrapped key: LocalKMS's wrapping with the nonce fixed instead of random.
    static func wrappedKey() throws -> WrappedKey {
        let reference = KeyReference(keyID: "datasets", version: 3)
        let associatedData = Array("ZTWK v1 wrap".utf8) + WrappedKey.framingPrefix(reference) + (try context.canonicalBytes)
        let box = try AES256GCM.seal(dataKey.withUnsafeBytes { Array($0) }, using: kek, nonce: wrapNonce, authenticating: associatedData)
        return try WrappedKey(reference: reference, ciphertext: [EnvelopeAlgorithm.aes256GCM.rawValue] + box.combined)
    }

    static func envelope() throws -> [UInt8] {
        let wrapped = try wrappedKey()
        let encryptor = try EnvelopeEncryptor(dataKey: DataKey(key: dataKey, wrapped: wrapped), context: context, algorithm: .aes256GCM,
                                              segmentSize: 16, expectedByteCount: nil, salt: salt, noncePrefix: prefix)
        var bytes: [UInt8] = []
        try encryptor.update(plaintext) { bytes += $0 }
        try encryptor.finish { bytes += $0 }
        return bytes
    }

    @Test("the documented bytes are what the library writes, and they decrypt")
    func documentedBytes() throws {
        let bytes = try Self.envelope()
        print("worked example (\(bytes.count) bytes): \(Hex.encode(bytes))")
        #expect(Hex.encode(bytes) == Self.documented)
        let header = try EnvelopeHeader(parsing: bytes)
        #expect(header.byteCount == 200 && bytes.count == 200 + 16 + 16 + 12 + 16)
        #expect(try KeyWrapping.unwrap(header.wrappedKey, with: Self.kek, algorithm: .aes256GCM, context: Self.context) == Self.dataKey)
        #expect(try Envelope.open(bytes, dataKey: Self.dataKey) == Self.plaintext)
    }

    static let documented = "5a544556010100000010000000c8202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3fa0a1a2a3a4a5a6001100010007646174615f6964000464732d310864617461736574730000000300515a54574b0108646174617365747300000003003d0177777777777777777777777743063e844af3cfd7b6bf03c1ea71b488d0f236ad69820a5d63edcf6437f90c81c43f632a203c8d0f35a2efab59e7db6f38727094811ce59120bc780c0b843fff113f0c3a7c6067d2604c72372b5f56c39b273aa3835e4c863d0fd5125e8001146c219ad8f74ea45b9b7b3d4367a89ab1013f0ac8dc08aece2bd2ddc5ad81d50ce560f2705df19219e0ace094"
}
