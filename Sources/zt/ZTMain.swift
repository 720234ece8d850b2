import ArgumentParser
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Entry point. ArgumentParser exits 64 on usage errors; the zt contract says 2, so parsing and
/// running are driven here and every failure is mapped to the documented exit codes.
@main
enum ZTMain {
    static func main() async {
        do {
            var command = try ZeroTrustCommand.parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
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
            // A usage error is one line that points at --help (the full usage text is there);
            // anything else unexpected is an input or environment problem, not a verdict: both 2.
            if code == .validationFailure {
                CommandFailure.badInput("\(ZeroTrustCommand.message(for: error)) (see --help)").report()
            } else {
                CommandFailure.badInput("\(error)").report()
            }
            exit(2)
        }
    }
}
