import Foundation
import Glibc
import ZeroTrustCrypto
import ZeroTrustEnvelope
import ZeroTrustKitTesting

// Usage: EnvelopeProbe [baseline | setup | stream | seal] [SEGMENT_SIZE]
//        EnvelopeProbe file PATH [SEGMENT_SIZE]
//   baseline  exits right after start: the Swift runtime, Foundation, OpenSSL and libsodium loaded
//   setup     also makes a data key and touches every library the stream uses (OpenSSL AES-GCM,
//             HMAC, SHA-256, libsodium random), without streaming
//   stream    then encrypts 1 GiB (one 1 MiB chunk fed 1024 times, output counted and dropped)
//             five times, and decrypts it once in lock step
//   seal      seals a 1 KiB message for ~2 s each with EnvelopeSealer and through DataKeyCache
//             (InMemoryKMS), printing seals per second (for `perf record -g`)
//   file      encrypts the file PATH to PATH.zte and decrypts that to PATH.out with EnvelopeFile
//             (what `zt encrypt`/`zt decrypt` call), in this one process; both outputs are left
//             for the caller to compare and delete (scripts/envelope-memory-check.sh does)
// Each step prints peak RSS (getrusage ru_maxrss) and current RSS; `stream` prints MB/s by
// wall-clock time and by CPU time (user + system, what `openssl speed` divides by).

func peakKB() -> Int {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return usage.ru_maxrss
}

func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

func currentKB() -> String {
    let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
    return status.split(separator: "\n").first { $0.hasPrefix("VmRSS") }.map { String($0.dropFirst(6)).trimmingCharacters(in: .whitespaces) } ?? "?"
}

func mark(_ step: String) {
    print("\(step): peak RSS \(peakKB()) KB, current \(currentKB())")
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

let arguments = CommandLine.arguments
let mode = arguments.count > 1 ? arguments[1] : "stream"
let sizeArgument = mode == "file" ? 3 : 2
let segmentSize = arguments.count > sizeArgument ? Int(arguments[sizeArgument]) ?? EnvelopeHeader.defaultSegmentSize
    : EnvelopeHeader.defaultSegmentSize
if mode == "file" {
    // Only what an application encrypting and decrypting a file does (no 1 MiB chunk, no
    // warm-up, no /proc reading): the process's peak RSS is the figure of interest.
    guard arguments.count > 2 else { print("usage: EnvelopeProbe file PATH [SEGMENT_SIZE]"); exit(2) }
    let path = arguments[2]
    let kms = InMemoryKMS()
    await kms.createKey("probe", algorithm: .aes256GCM)
    let clock = ContinuousClock()
    var cpu = cpuSeconds(), start = clock.now
    let header = try await EnvelopeFile.encrypt(inputPath: path, outputPath: path + ".zte", keyID: "probe", kms: kms,
                                                segmentSize: segmentSize)
    print("encrypt \(path) → \(path).zte (segment \(header.segmentSize)): \(seconds(start.duration(to: clock.now))) s wall, \(cpuSeconds() - cpu) s CPU")
    cpu = cpuSeconds()
    start = clock.now
    try await EnvelopeFile.decrypt(inputPath: path + ".zte", outputPath: path + ".out", kms: kms)
    print("decrypt \(path).zte → \(path).out: \(seconds(start.duration(to: clock.now))) s wall, \(cpuSeconds() - cpu) s CPU")
    print("peak RSS \(peakKB()) KB")
    exit(0)
}
mark("start")
if mode == "baseline" { exit(0) }

let kms = InMemoryKMS()
await kms.createKey("probe", algorithm: .aes256GCM)
let dataKey = try await kms.generateDataKey(keyID: "probe", context: .empty)
let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
chunk.initializeMemory(as: UInt8.self, repeating: 0x5a)
// One tiny envelope so every library the stream uses is initialised before the baseline mark.
_ = try Envelope.open(try EnvelopeSealer(dataKey: dataKey).seal([1, 2, 3]), dataKey: dataKey.key)
mark("setup (data key, 1 MiB input chunk, libraries initialised)")
if mode == "setup" { exit(0) }
if mode == "seal" {
    let message = [UInt8](repeating: 0x5a, count: 1024)
    let context: EncryptionContext = ["data_id": "probe"]
    let cache = try DataKeyCache(limits: .init(maximumAge: .seconds(3600), maximumMessages: 1 << 40, maximumBytes: 1 << 60))
    let sealer = try EnvelopeSealer(dataKey: try await kms.generateDataKey(keyID: "probe", context: context), context: context)
    let clock = ContinuousClock()
    func rate(_ name: String, _ body: () async throws -> Void) async throws {
        var count = 0
        let start = clock.now
        let cpuStart = cpuSeconds()
        while start.duration(to: clock.now) < .seconds(2) {
            for _ in 0..<1000 { try await body() }
            count += 1000
        }
        let wall = Double(count) / seconds(start.duration(to: clock.now)), cpu = Double(count) / (cpuSeconds() - cpuStart)
        print("\(name): \(Int(wall)) seals/s by wall clock, \(Int(cpu)) by CPU time")
    }
    try await rate("EnvelopeSealer.seal") { _ = try sealer.seal(message) }
    try await rate("Envelope.seal through DataKeyCache") {
        _ = try await Envelope.seal(message, keyID: "probe", context: context, kms: kms, cache: cache)
    }
    exit(0)
}

var wallRates: [Double] = []
var cpuRates: [Double] = []
let clock = ContinuousClock()
for _ in 0..<5 {
    let encryptor = try EnvelopeEncryptor(dataKey: dataKey, context: .empty, segmentSize: segmentSize)
    var total = 0
    let start = clock.now
    let cpuStart = cpuSeconds()
    for _ in 0..<1024 { try encryptor.update(UnsafeRawBufferPointer(chunk)) { total &+= $0.count } }
    try encryptor.finish { total &+= $0.count }
    wallRates.append(Double(1 << 30) / seconds(start.duration(to: clock.now)) / 1e6)
    cpuRates.append(Double(1 << 30) / (cpuSeconds() - cpuStart) / 1e6)
}
mark("after 5 × 1 GiB streaming encrypt, segment \(segmentSize)")
print("encrypt MB/s by wall clock: \(wallRates.map { Int($0) }), median \(Int(wallRates.sorted()[2]))")
print("encrypt MB/s by CPU time:   \(cpuRates.map { Int($0) }), median \(Int(cpuRates.sorted()[2]))")

/// CPU time of the calling thread, in seconds.
func threadCPUSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

/// Decrypts 1 GiB produced by an encryptor in lock step (no 1 GiB buffer anywhere); returns the
/// plaintext byte count and the thread CPU seconds spent in the decryptor alone.
func lockStepDecrypt(dataKey: DataKey, chunk: UnsafeRawBufferPointer, segmentSize: Int) throws -> (count: Int, decryptCPU: Double) {
    let encryptor = try EnvelopeEncryptor(dataKey: dataKey, context: .empty, segmentSize: segmentSize)
    var decryptor: EnvelopeDecryptor?
    var plaintextCount = 0
    var decryptCPU = 0.0
    func forward(_ bytes: UnsafeRawBufferPointer) throws {
        guard let decryptor else {
            decryptor = try EnvelopeDecryptor(header: try EnvelopeHeader(parsing: [UInt8](bytes)), dataKey: dataKey.key)
            return
        }
        let start = threadCPUSeconds()
        try decryptor.update(bytes) { plaintextCount &+= $0.count }
        decryptCPU += threadCPUSeconds() - start
    }
    for _ in 0..<1024 { try encryptor.update(chunk) { try forward($0) } }
    try encryptor.finish { try forward($0) }
    let start = threadCPUSeconds()
    try decryptor?.finish { plaintextCount &+= $0.count }
    decryptCPU += threadCPUSeconds() - start
    return (plaintextCount, decryptCPU)
}

let (plaintextCount, decryptCPU) = try lockStepDecrypt(dataKey: dataKey, chunk: UnsafeRawBufferPointer(chunk), segmentSize: segmentSize)
mark("after 1 GiB encrypt → decrypt in lock step (\(plaintextCount) bytes out)")
print("decrypt MB/s by thread CPU time in the decryptor: \(Int(Double(plaintextCount) / decryptCPU / 1e6))")
