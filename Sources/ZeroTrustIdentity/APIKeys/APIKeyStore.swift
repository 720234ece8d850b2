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
///
/// The file may be shared by several processes (a service verifying keys, `zt apikey` creating and
/// revoking them): every read first checks whether the file was replaced and reloads it if so, so
/// a revocation made elsewhere takes effect on the next lookup; every ``save(_:)`` takes an
/// exclusive lock (`flock` on `<path>.lock`, waiting at most 5 s), reloads, replaces that one
/// record and rewrites, so saving one key never drops another process's keys. The path is resolved
/// (symbolic links included) when the store opens, so processes given different paths to the
/// same file share its lock and never replace a link with a copy.
public actor FileAPIKeyStore: APIKeyStore {
    /// The file, resolved.
    public let path: String
    private var records: [String: APIKeyRecord] = [:]
    /// The file the records were read from (nil: there was none).
    private var loaded: SharedFile.Version?

    /// Opens `path`; a missing file is an empty store, a malformed one an error naming the file.
    public init(path: String) throws {
        self.path = SharedFile.canonicalPath(path)
        (records, loaded) = try Self.load(self.path)
    }

    /// The record with `id`, as the file holds it now.
    public func record(id: String) async throws -> APIKeyRecord? {
        try refresh()
        return records[id]
    }

    /// Inserts or replaces a record and rewrites the file before returning, under the file's lock
    /// and on top of its current contents.
    public func save(_ record: APIKeyRecord) async throws {
        let outcome: Result<Void, TokenError>
        do {
            outcome = try SharedFile.withExclusiveLock(beside: path) { () throws(TokenError) in
                try refresh()
                var updated = records
                updated[record.id] = record
                try write(updated)
                records = updated
                loaded = SharedFile.Version(path: path)
            }
        } catch {
            let reason = switch error {
            case .system(let failure): failure.reason
            case .untrusted(let why): why
            case .timedOut: "another process has held its lock for more than 5 s"
            }
            throw TokenError(code: .storeUnavailable, message: "cannot lock API key store \(path): \(reason)")
        }
        try outcome.get()
    }

    /// Every record, oldest first, as the file holds them now.
    public func all() async throws -> [APIKeyRecord] {
        try refresh()
        return records.values.sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
    }

    /// Reloads the records if the file was replaced (or created, or removed) since they were read.
    private func refresh() throws(TokenError) {
        guard SharedFile.Version(path: path) != loaded else { return }
        (records, loaded) = try Self.load(path)
    }

    private static func load(_ path: String) throws(TokenError) -> ([String: APIKeyRecord], SharedFile.Version?) {
        // The version is taken before reading: if the file is replaced meanwhile, the next
        // refresh sees a different version and reads it again.
        guard let version = SharedFile.Version(path: path) else { return ([:], nil) }
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw TokenError(code: .storeUnavailable, message: "cannot read API key store \(path)")
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let list: [APIKeyRecord]
        do { list = try decoder.decode(StoreFile.self, from: data).keys } catch {
            throw TokenError(code: .storeUnavailable, message: "API key store \(path) is not valid: \(error)")
        }
        let records = Dictionary(list.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        guard records.count == list.count else {
            throw TokenError(code: .storeUnavailable, message: "API key store \(path) has duplicate ids")
        }
        return (records, version)
    }

    private func write(_ records: [String: APIKeyRecord]) throws(TokenError) {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let list = records.values.sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
        let data: Data
        do { data = try encoder.encode(StoreFile(version: 1, keys: list)) } catch {
            throw TokenError(code: .storeUnavailable, message: "cannot encode API key store \(path): \(error)")
        }
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
