import ZeroTrustCrypto

/// A failure with the exit code it maps to: 1 for a negative verdict (invalid, denied, tampered),
/// 2 for bad usage or unreadable input. Reported on stderr as one line, `zt: message`.
struct CommandFailure: Error {
    let exitCode: Int32
    let message: String

    /// A negative verdict: the input was read, and the answer is no.
    static func rejected(_ message: String) -> CommandFailure { CommandFailure(exitCode: 1, message: message) }

    /// Bad usage, or input that could not be read or parsed.
    static func badInput(_ message: String) -> CommandFailure { CommandFailure(exitCode: 2, message: message) }

    func report() {
        let oneLine = message.split(whereSeparator: \.isNewline).joined(separator: " ")
        FileHandleOutput.standardError.write("zt: \(oneLine)\n")
    }
}

/// Runs `body`, turning a `CryptoError` raised while loading input into exit code 2.
func loading<T>(_ what: String, _ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as CryptoError {
        throw CommandFailure.badInput("\(what): \(error.message)")
    }
}
