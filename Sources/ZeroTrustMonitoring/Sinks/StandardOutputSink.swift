import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes each event as one line on standard output (for containers whose runtime ships stdout
/// to the log pipeline), in any format.
///
/// ```swift
/// let sink = StandardOutputSink(encoder: OCSFEncoder())
/// ```
public struct StandardOutputSink: AuditSink {
    private let encoder: any AuditEventEncoder
    private let descriptor: Int32
    /// Whether `encoder` is the native JSON-lines encoder, whose events are then written straight
    /// into one buffer (no array per event to allocate and copy).
    private let isNative: Bool

    /// A sink writing `encoder`'s lines to stdout (or to another already-open descriptor).
    public init(encoder: any AuditEventEncoder = JSONLinesEncoder(), fileDescriptor: Int32 = 1) {
        self.encoder = encoder
        self.descriptor = fileDescriptor
        isNative = encoder is JSONLinesEncoder
    }

    /// The most bytes gathered before a system call.
    static let chunkByteCount = 64 * 1024

    /// Writes the batch (native JSON lines: one system call per 64 KiB; other formats: one for the
    /// batch); fails when the descriptor does not take it all.
    public func write(_ events: [AuditEvent]) async throws {
        if isNative {
            var writer = JSONWriter(reservingCapacity: min(Self.chunkByteCount + 4096, events.count * 512))
            for event in events {
                JSONLinesEncoder.write(event, into: &writer)
                writer.endLine()
                if writer.count >= Self.chunkByteCount {
                    try writer.withBytes(writeAll)
                    writer.reset()
                }
            }
            if !writer.isEmpty { try writer.withBytes(writeAll) }
            return
        }
        var bytes: [UInt8] = []
        for event in events {
            bytes.append(contentsOf: encoder.encode(event))
            bytes.append(UInt8(ascii: "\n"))
        }
        try bytes.withUnsafeBytes(writeAll)
    }

    private func writeAll(_ buffer: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < buffer.count, let base = buffer.baseAddress {
            let written = Glibc.write(descriptor, base + offset, buffer.count - offset)
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { throw FileDescriptor.error("write to", "file descriptor \(descriptor)") }
            offset += written
        }
    }
}
