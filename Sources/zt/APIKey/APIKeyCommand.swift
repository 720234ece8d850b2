import ArgumentParser
import Foundation
import ZeroTrustCrypto
import ZeroTrustIdentity

/// `zt apikey`: API keys for deployed models.
struct APIKeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apikey",
        abstract: "Create, verify, revoke and list API keys in a key store file.",
        discussion: """
            The store keeps only a BLAKE2b hash of each key's secret part; the full key is shown once, at creation.
            A store created with --pepper-file (keyed hashes) must be used with the same file every time.

            Examples:
              zt apikey create --store keys.json --name fraud-model --role model_server --scope predict --days 90
              zt apikey verify --store keys.json ztk_…
              zt apikey revoke --store keys.json --id 3f2a…
              zt apikey list --store keys.json
            """,
        subcommands: [Create.self, Verify.self, Revoke.self, List.self]
    )

    struct StoreOption: ParsableArguments {
        @Option(name: .long, help: "API key store file (JSON, written atomically with mode 0600).")
        var store: String
        @Option(name: .customLong("pepper-file"),
                help: "The store's pepper: a file holding exactly 32 bytes, raw or base64 (as zt.yaml's api_key_pepper).")
        var pepperFile: String?

        func issuer() throws -> APIKeyIssuer {
            var pepper: SymmetricKey?
            if let pepperFile {
                let contents: SecureBytes
                do { contents = try SecretFile.read(pepperFile, maximumByteCount: 4096) } catch {
                    throw CommandFailure.badInput("--pepper-file \(pepperFile): cannot read it")
                }
                guard let key = SymmetricKey.fromKeyFile(contents) else {
                    throw CommandFailure.badInput("--pepper-file \(pepperFile): does not hold a 32-byte key (raw or base64)")
                }
                pepper = key
            }
            do { return APIKeyIssuer(store: try FileAPIKeyStore(path: store), pepper: pepper) } catch let error as TokenError {
                throw CommandFailure.badInput(error.message)
            }
        }
    }

    static func json(_ record: APIKeyRecord) -> [String: Any] {
        var object: [String: Any] = ["id": record.id, "name": record.name, "roles": record.roles, "scopes": record.scopes,
                                     "created_at": record.createdAt.formatted(.iso8601)]
        object["expires_at"] = record.expiresAt?.formatted(.iso8601) ?? NSNull()
        object["revoked_at"] = record.revokedAt?.formatted(.iso8601) ?? NSNull()
        return object
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a key; prints {\"key\":…,\"record\":…} once.",
            discussion: "Example:\n  zt apikey create --store keys.json --name fraud-model --role model_server --scope predict --days 90")
        @OptionGroup var store: StoreOption
        @Option(name: .long, help: "A name for operators.") var name: String
        @Option(name: .long, help: "Role granted; repeatable.") var role: [String] = []
        @Option(name: .long, help: "Scope granted; repeatable.") var scope: [String] = []
        @Option(name: .long, help: "Expire after this many days.") var days: Int?

        func run() async throws {
            let expiry = days.map { Date().addingTimeInterval(TimeInterval($0) * 86_400) }
            let (key, record) = try await store.issuer().create(name: name, roles: role, scopes: scope, expiresAt: expiry)
            JSONOutput.print(["key": key, "record": APIKeyCommand.json(record)])
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Verify a key: exit 0 with its record, or 1 with an error.",
            discussion: "Example:\n  zt apikey verify --store keys.json \"$ZT_API_KEY\"\n  echo \"$ZT_API_KEY\" | zt apikey verify --store keys.json -")
        @OptionGroup var store: StoreOption
        @Argument(help: "The API key, or - for stdin.") var key: String

        func run() async throws {
            let text = key == "-" ? String(decoding: try InputFiles.data("-"), as: UTF8.self) : key
            do {
                JSONOutput.print(APIKeyCommand.json(try await store.issuer().verify(String(text.trimmingSuffixNewlines))))
            } catch let error as TokenError {
                printTokenError(error)
                throw ExitCode(error.code == .storeUnavailable ? 2 : 1)
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revoke a key by id; exit 1 if no such key.",
            discussion: "Example:\n  zt apikey revoke --store keys.json --id 3f2a9c0d1e4b5a6f")
        @OptionGroup var store: StoreOption
        @Option(name: .long, help: "The key id (the part after ztk_).") var id: String

        func run() async throws {
            guard try await store.issuer().revoke(id: id) else {
                throw CommandFailure.rejected("no API key with id \(id)")
            }
            JSONOutput.print(["revoked": id])
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List key records as JSON lines (no secrets).",
            discussion: "Example:\n  zt apikey list --store keys.json")
        @OptionGroup var store: StoreOption

        func run() async throws {
            for record in try await store.issuer().store.all() { JSONOutput.print(APIKeyCommand.json(record)) }
        }
    }
}
