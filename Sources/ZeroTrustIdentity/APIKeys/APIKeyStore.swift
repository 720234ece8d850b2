import Foundation
import Synchronization
import ZeroTrustCrypto

/// Where API key records live. Implementations must make ``save(_:)`` durable before returning.
public protocol APIKeyStore: Sendable {
    /// The record with `id`, or nil.
    func record(id: String) async throws -> APIKeyRecord?
    /// Inserts or replaces a record.
    func save(_ record: APIKeyRecord) async throws
    /// Every record, ordered by creation time.
    func all() async throws -> [APIKeyRecord]
}

/// An ``APIKeyStore`` in memory, for tests and short-lived tools.
public final class InMemoryAPIKeyStore: APIKeyStore {
    private let records = Mutex<[String: APIKeyRecord]>([:])

    /// An empty store.
    public init() {}

    /// The record with `id`.
    public func record(id: String) async throws -> APIKeyRecord? { records.withLock { $0[id] } }

    /// Inserts or replaces a record.
    public func save(_ record: APIKeyRecord) async throws { records.withLock { $0[record.id] = record } }

    /// Every record, oldest first.
    public func all() async throws -> [APIKeyRecord] {
        records.withLock { Array($0.values) }.sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
    }
}

/// An ``APIKeyStore`` in a JSON file, rewritten atomically with mode 0600 on every change
/// (temporary file, fsync, rename), so a crash leaves the old or the new file, never a torn one.
public actor FileAPIKeyStore: APIKeyStore {
    /// The file.
    public let path: String
    private var records: [String: APIKeyRecord]

    /// Opens `path`; a missing file is an empty store, a malformed one an error naming the file.
    public init(path: String) throws {
        self.path = path
        guard FileManager.default.fileExists(atPath: path) else {
            records = [:]
            return
        }
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw TokenError(code: .storeUnavailable, message: "cannot read API key store \(path)")
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do {
            let list = try decoder.decode(StoreFile.self, from: data).keys
            records = Dictionary(list.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            guard records.count == list.count else {
                throw TokenError(code: .storeUnavailable, message: "API key store \(path) has duplicate ids")
            }
        } catch let error as TokenError {
            throw error
        } catch {
            throw TokenError(code: .storeUnavailable, message: "API key store \(path) is not valid: \(error)")
        }
    }

    /// The record with `id`.
    public func record(id: String) async throws -> APIKeyRecord? { records[id] }

    /// Inserts or replaces a record and rewrites the file before returning.
    public func save(_ record: APIKeyRecord) async throws {
        var updated = records
        updated[record.id] = record
        try write(updated)
        records = updated
    }

    /// Every record, oldest first.
    public func all() async throws -> [APIKeyRecord] {
        records.values.sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
    }

    private func write(_ records: [String: APIKeyRecord]) throws {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let list = records.values.sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
        let data = try encoder.encode(StoreFile(version: 1, keys: list))
        do {
            try data.withUnsafeBytes { try SecretFile.write($0, to: path, mode: SecretFile.mode) }
        } catch {
            throw TokenError(code: .storeUnavailable, message: "cannot write API key store \(path): \(error)")
        }
    }

    private struct StoreFile: Codable {
        let version: Int
        let keys: [APIKeyRecord]
    }
}
