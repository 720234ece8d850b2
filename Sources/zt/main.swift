import ArgumentParser
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Calls the asynchronous `run()` (ParsableCommand's synchronous requirement has the same name).
func runAsync(_ command: inout some AsyncParsableCommand) async throws {
    try await command.run()
}

// ArgumentParser exits 64 on usage errors; the zt contract says 2, so parsing and running are
// driven here and every failure is mapped to the documented exit codes.
do {
    var command = try ZeroTrustCommand.parseAsRoot()
    if var asyncCommand = command as? any AsyncParsableCommand {
        try await runAsync(&asyncCommand)
    } else {
        try command.run()
    }
} catch let failure as CommandFailure {
    failure.report()
    exit(failure.exitCode)
} catch let code as ExitCode {
    exit(code.rawValue)
} catch {
    let code = ZeroTrustCommand.exitCode(for: error)
    if code == .success {
        // --help, --version and similar clean exits.
        ZeroTrustCommand.exit(withError: error)
    }
    let message = ZeroTrustCommand.fullMessage(for: error)
    FileHandleOutput.standardError.write(message.hasSuffix("\n") ? message : message + "\n")
    exit(code == .validationFailure || code.rawValue == 64 ? 2 : code.rawValue)
}
