internal import CZeroTrustOpenSSL

/// OpenSSL's per-thread error queue. Clear it before a call whose failure we report, and drain it
/// right after the failure, on the same thread: never `await` in between.
enum OpenSSLErrorQueue {
    static func clear() {
        // ERR_clear_error costs ~90 ns even on an empty queue; peeking costs ~14 ns.
        if ERR_peek_error() != 0 { ERR_clear_error() }
    }

    /// Removes and returns every queued error as OpenSSL's one-line text, oldest first.
    static func drain() -> [String] {
        var messages: [String] = []
        var buffer = [CChar](repeating: 0, count: 256)
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            if messages.count < 16 {
                ERR_error_string_n(code, &buffer, buffer.count)
                messages.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
            }
        }
        return messages
    }
}

extension CryptoError {
    /// An error carrying OpenSSL's drained error queue.
    static func openSSL(_ code: Code, _ message: String) -> CryptoError {
        CryptoError(code: code, message: message, openSSLErrors: OpenSSLErrorQueue.drain())
    }

    /// An OpenSSL call that failed without a caller-visible reason.
    static func openSSLFailure(_ function: String) -> CryptoError {
        openSSL(.libraryFailure, "\(function) failed")
    }
}

/// Throws an OpenSSL failure unless `result` is 1 (OpenSSL's success for most EVP calls).
@inline(__always)
func requireOpenSSL(_ result: Int32, _ function: @autoclosure () -> String) throws(CryptoError) {
    if result != 1 { throw CryptoError.openSSLFailure(function()) }
}
