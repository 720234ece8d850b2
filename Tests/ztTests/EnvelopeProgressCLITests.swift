import Foundation
import Testing

/// The progress bar of `zt encrypt` and `zt decrypt`: shown on stderr only when stderr is a
/// terminal and the input is at least 64 MiB. A terminal comes from util-linux `script`
/// (package bsdutils, essential on Debian), which runs the command on a pseudo-terminal and
/// copies everything it prints to its own standard output.
@Suite("zt encrypt/decrypt progress bar")
struct EnvelopeProgressCLITests {
    static let largeByteCount: UInt64 = 64 << 20

    /// Runs `zt arguments` on a pseudo-terminal in the harness directory; returns the exit
    /// status (`script -e` passes the command's on) and what the terminal showed.
    static func runOnTerminal(_ cli: CLIHarness, _ arguments: [String]) throws -> (status: Int32, terminal: String) {
        let command = try ([CLIHarness.executable.path] + arguments).map { "'\($0)'" }.joined(separator: " ")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        process.arguments = ["--quiet", "--return", "--flush", "--command", command, "/dev/null"]
        process.currentDirectoryURL = cli.directory
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let shown = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: shown, as: UTF8.self))
    }

    /// A sparse file of `count` zero bytes: large input without writing it.
    static func sparseFile(_ path: String, count: UInt64) throws {
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.truncate(atOffset: count)
        try handle.close()
    }

    @Test("a terminal and a 64 MiB input show the bar up to 100 %; a pipe or a small input show none")
    func progressBar() throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        let master = try EnvelopeCLITests.keyring(cli)
        try Self.sparseFile(cli.path("large"), count: Self.largeByteCount)
        try Data(repeating: 1, count: 1024).write(to: URL(fileURLWithPath: cli.path("small")))
        let encrypt = ["encrypt", "--kms-dir", "keys", "--key-id", "ds"] + master

        let large = try Self.runOnTerminal(cli, encrypt + ["large", "large.zte"])
        #expect(large.status == 0, "\(large.terminal)")
        #expect(large.terminal.contains("\rencrypting [          "), "\(large.terminal)")
        #expect(large.terminal.contains("\rencrypting [##############################] 100%"), "\(large.terminal)")
        // Updated once per percent at most, and the line is ended after the last update.
        let updates = large.terminal.components(separatedBy: "\rencrypting [").count - 1
        #expect(updates >= 2 && updates <= 101, "\(updates) updates")
        #expect(large.terminal.hasSuffix("100%\r\n") || large.terminal.hasSuffix("100%\n"), "\(large.terminal.suffix(40))")

        let decrypted = try Self.runOnTerminal(cli, ["decrypt", "--kms-dir", "keys"] + master + ["large.zte", "large.out"])
        #expect(decrypted.status == 0, "\(decrypted.terminal)")
        #expect(decrypted.terminal.contains("\rdecrypting [##############################] 100%"), "\(decrypted.terminal)")
        let attributes = try FileManager.default.attributesOfItem(atPath: cli.path("large.out"))
        #expect((attributes[.size] as? NSNumber)?.uint64Value == Self.largeByteCount)

        let small = try Self.runOnTerminal(cli, encrypt + ["small", "small.zte"])
        #expect(small.status == 0, "\(small.terminal)")
        #expect(!small.terminal.contains("encrypting"), "\(small.terminal)")

        let piped = try cli.run(encrypt + ["large", "piped.zte"])
        #expect(piped.status == 0, "\(piped.stderr)")
        #expect(piped.stderr.isEmpty, "\(piped.stderr)")
    }
}
