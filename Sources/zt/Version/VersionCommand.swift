import ArgumentParser
import ZeroTrustCrypto

/// `zt version`: the library version and the C libraries it runs against.
struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "version",
        abstract: "Print the ZeroTrustKit version and the OpenSSL and libsodium versions in use.",
        discussion: """
            Examples:
              zt version
              zt version --json   # {"libsodium":"1.0.18","openssl":"OpenSSL 3.0.19 27 Jan 2026","zerotrustkit":"0.1.0"}
            """
    )

    @Flag(name: .long, help: "Print JSON instead of text.")
    var json = false

    func run() throws {
        if json {
            JSONOutput.print([
                "zerotrustkit": LibraryVersions.zeroTrustKit,
                "openssl": LibraryVersions.openSSL,
                "libsodium": LibraryVersions.libsodium,
            ])
        } else {
            FileHandleOutput.standardOutput.write("""
                ZeroTrustKit \(LibraryVersions.zeroTrustKit)
                OpenSSL: \(LibraryVersions.openSSL)
                libsodium: \(LibraryVersions.libsodium)

                """)
        }
    }
}
