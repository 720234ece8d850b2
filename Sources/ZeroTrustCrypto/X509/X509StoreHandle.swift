internal import CZeroTrustOpenSSL

/// Owns an `X509_STORE` filled with trust anchors once, at creation. OpenSSL 3 locks the store
/// internally for lookups, and nothing is added after `init`, so sharing it between concurrent
/// verifications is safe: hence `@unchecked Sendable`.
package final class X509StoreHandle: @unchecked Sendable {
    let pointer: OpaquePointer

    package init(anchors: [X509Handle]) throws(CryptoError) {
        OpenSSLErrorQueue.clear()
        guard let store = X509_STORE_new() else { throw CryptoError.openSSLFailure("X509_STORE_new") }
        pointer = store
        for anchor in anchors {
            // A duplicate anchor is not an error: X509_STORE_add_cert ignores it in OpenSSL 3.
            try requireOpenSSL(X509_STORE_add_cert(store, anchor.pointer), "X509_STORE_add_cert")
        }
    }

    deinit { X509_STORE_free(pointer) }
}
