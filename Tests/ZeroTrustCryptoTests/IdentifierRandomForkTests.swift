import Foundation
import Testing

/// The identifier buffer (Sources/CZeroTrustShims/identifier_random.c) must never hand a forked
/// child the bytes its parent hands out next. Forking the multi-threaded test process itself is not
/// safe, so a small C driver is compiled against the same source with the toolchain's clang, and it
/// reports whether a parent and its child drew the same 16 bytes after the fork.
@Suite("Identifier buffer across fork")
struct IdentifierRandomForkTests {
    static let driver = #"""
    #include <stdio.h>
    #include <string.h>
    #include <unistd.h>
    #include <sys/wait.h>
    int zt_identifier_random(void *output, size_t count);
    int main(void) {
        unsigned char parent[16], child[16];
        int pipefd[2];
        if (pipe(pipefd) != 0) return 2;
        if (zt_identifier_random(parent, 16) != 0) return 2;  /* the parent's buffer is now filled */
        pid_t pid = fork();
        if (pid < 0) return 2;
        if (pid == 0) {
            if (zt_identifier_random(child, 16) != 0) _exit(2);
            _exit(write(pipefd[1], child, 16) == 16 ? 0 : 2);
        }
        if (zt_identifier_random(parent, 16) != 0) return 2;
        if (read(pipefd[0], child, 16) != 16) return 2;
        waitpid(pid, NULL, 0);
        puts(memcmp(parent, child, 16) == 0 ? "same" : "different");
        return 0;
    }
    """#

    @Test("A forked child and its parent draw different bytes")
    func childDiscardsInheritedBuffer() throws {
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Sources/CZeroTrustShims/identifier_random.c").standardizedFileURL
        let include = source.deletingLastPathComponent().appendingPathComponent("include").path
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("zt-fork-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let driver = directory.appendingPathComponent("driver.c")
        let binary = directory.appendingPathComponent("driver").path
        try Data(Self.driver.utf8).write(to: driver)

        let compile = try run(["clang", "-O1", "-I", include, driver.path, source.path, "-o", binary, "-lpthread"])
        try #require(compile.status == 0, "clang failed: \(compile.output)")
        for _ in 0..<5 {
            let result = try run([binary])
            #expect(result.status == 0)
            #expect(result.output.trimmingCharacters(in: .whitespacesAndNewlines) == "different")
        }
    }

    private func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }
}
