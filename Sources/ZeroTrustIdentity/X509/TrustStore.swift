import Foundation
import ZeroTrustCrypto

/// The trust anchors (root CA certificates) chains must lead to.
///
/// Built once and shared: verification only reads it, so one `TrustStore` serves any number of
/// concurrent ``ChainVerifier`` calls.
///
/// ```swift
/// let roots = try TrustStore(pemBundle: String(contentsOfFile: "ca.pem", encoding: .utf8))
/// ```
public struct TrustStore: Sendable {
    let store: X509StoreHandle
    /// The anchors, in the order given.
    public let anchors: [Certificate]

    /// A store of `anchors`. An empty list is refused: a store that trusts nothing is a
    /// configuration mistake, not a policy.
    public init(anchors: [Certificate]) throws(CertificateError) {
        guard !anchors.isEmpty else {
            throw CertificateError(code: .invalidParameter, message: "a trust store needs at least one anchor")
        }
        do {
            store = try X509StoreHandle(anchors: anchors.map(\.handle))
        } catch {
            throw CertificateError(code: .verificationFailed, message: error.message, openSSLErrors: error.openSSLErrors)
        }
        self.anchors = anchors
    }

    /// A store of every certificate in a PEM bundle.
    public init(pemBundle: String) throws(CertificateError) {
        try self.init(anchors: Certificate.parseBundle(pemEncoded: pemBundle))
    }

    /// A store of every certificate in the PEM or DER file at `path`, or, when `path` is a
    /// directory, in every `*.pem`, `*.crt` and `*.cer` file inside it (not recursive).
    public init(contentsOf path: String) throws(CertificateError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw CertificateError(code: .fileError, message: "\(path): no such file or directory")
        }
        var files = [path]
        if isDirectory.boolValue {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            files = names.filter { [".pem", ".crt", ".cer"].contains(where: $0.hasSuffix) }.sorted()
                .map { (path as NSString).appendingPathComponent($0) }
        }
        var anchors: [Certificate] = []
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw CertificateError(code: .fileError, message: "cannot read \(file)")
            }
            do {
                anchors += try Certificate.parse(Array(data))
            } catch {
                throw CertificateError(code: error.code, message: "\(file): \(error.message)", openSSLErrors: error.openSSLErrors)
            }
        }
        try self.init(anchors: anchors)
    }
}
