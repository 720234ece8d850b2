import ArgumentParser
import Foundation
import ZeroTrustCrypto
import ZeroTrustIdentity

/// `zt token`: short-lived JWTs.
struct TokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Create keys for, issue, verify and inspect short-lived JWTs.",
        discussion: """
            Examples:
              zt token keygen --alg ES256 --kid 2026-11 --out signer.jwk --jwks-out public.jwks
              zt token issue --key signer.jwk --sub alice --aud registry --ttl 900 --claim 'roles=["data_scientist"]'
              zt token verify --jwks public.jwks --audience registry "$TOKEN"
              zt token inspect "$TOKEN"
            """,
        subcommands: [TokenKeygenCommand.self, TokenIssueCommand.self, TokenVerifyCommand.self, TokenInspectCommand.self]
    )
}

/// Token failures as the JSON the CLI contract promises.
func printTokenError(_ error: TokenError) {
    JSONOutput.print(["error": ["code": error.code.rawValue, "message": error.message]])
}

struct TokenKeygenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keygen",
        abstract: "Generate a signing key as a private JWK (mode 0600), optionally with its public JWK Set.",
        discussion: """
            For HS256/384/512 the JWK Set holds the shared secret and is written with mode 0600 too.

            Example:
              zt token keygen --alg EdDSA --kid k1 --out signer.jwk --jwks-out public.jwks
            """
    )

    @Option(name: .long, help: "Algorithm: \(JWSAlgorithm.allCases.map(\.rawValue).joined(separator: ", ")).")
    var alg: String

    @Option(name: .long, help: "Key identifier written as the tokens' kid.")
    var kid: String

    @Option(name: .long, help: "Where to write the private JWK.")
    var out: String

    @Option(name: .long, help: "Where to write a JWK Set with the verification key.")
    var jwksOut: String?

    func run() throws {
        guard let algorithm = JWSAlgorithm(rawValue: alg) else { throw CommandFailure.badInput("unknown algorithm \(alg)") }
        let key = try SigningKey.generate(algorithm: algorithm, keyID: kid)
        try loading("cannot write \(out)") { try SecretFile.write(JWK(signingKey: key).json + "\n", to: out) }
        if let jwksOut {
            let member = algorithm.isSymmetric ? try JWK(signingKey: key) : try JWK(verificationKey: key.verificationKey)
            let text = JWKSet(keys: [member]).json + "\n"
            if algorithm.isSymmetric {
                try loading("cannot write \(jwksOut)") { try SecretFile.write(text, to: jwksOut) }
            } else {
                try InputFiles.writePublic(Array(text.utf8), to: jwksOut)
            }
        }
    }
}

struct TokenIssueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "issue",
        abstract: "Issue a signed token; prints it on stdout.",
        discussion: """
            --claim takes NAME=JSON, e.g. --claim 'roles=["ml_engineer"]' --claim org='"corp"'.
            --type sets the typ header: approval+jwt makes an approval token for the gatekeeper
            (the approval's name, action and resource_id as claims, signed by that approver's key).

            Examples:
              zt token issue --key signer.jwk --sub alice --iss https://auth.corp --aud registry --ttl 900
              zt token issue --key security.jwk --sub bob --type approval+jwt --ttl 300 \
                --claim approval='"security_team"' --claim action='"deploy_model"' --claim resource_id='"fraud-v3"'
            """
    )

    @Option(name: .long, help: "Private JWK file.")
    var key: String
    @Option(name: .long, help: "Subject (sub).")
    var sub: String
    @Option(name: .long, help: "Issuer (iss).")
    var iss: String?
    @Option(name: .long, help: "Audience (aud); repeat for several.")
    var aud: [String] = []
    @Option(name: .long, help: "Lifetime in seconds (at most 3600). Default 900.")
    var ttl: Int = 900
    @Option(name: .long, help: "Custom claim NAME=JSON; repeatable.")
    var claim: [String] = []
    @Option(name: .long, help: "The typ header (JWT, at+jwt, approval+jwt, …). Default JWT.")
    var type: String = "JWT"

    func run() throws {
        guard !type.isEmpty, type.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F && $0 != "\"" && $0 != "\\" }) else {
            throw CommandFailure.badInput("--type must be a non-empty printable ASCII media type without spaces or quotes")
        }
        let jwk = try loadJWK(key)
        let signingKey: SigningKey
        do { signingKey = try jwk.signingKey() } catch { throw CommandFailure.badInput("\(key): \(error.message)") }
        var custom: [String: JSONValue] = [:]
        for item in claim {
            guard let equals = item.firstIndex(of: "=") else { throw CommandFailure.badInput("--claim \(item) is not NAME=JSON") }
            let name = String(item[..<equals])
            do { custom[name] = try JSONValue(parsing: Array(item[item.index(after: equals)...].utf8)) } catch {
                throw CommandFailure.badInput("--claim \(name): value is not JSON (\(error))")
            }
        }
        let issuer = TokenIssuer(keyRing: try KeyRing(signingKey: signingKey), issuer: iss)
        do {
            let token = try issuer.issue(subject: sub, audience: aud, lifetime: TimeInterval(ttl), custom: custom, type: type)
            FileHandleOutput.standardOutput.write(token + "\n")
        } catch {
            throw CommandFailure.badInput(error.message)
        }
    }
}

struct TokenVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify a token: exit 0 and the claims as JSON, or exit 1 and {\"error\":{\"code\":…,\"message\":…}}.",
        discussion: """
            Example:
              zt token verify --jwks public.jwks --issuer https://auth.corp --audience registry "$TOKEN"
              echo "$TOKEN" | zt token verify --jwks public.jwks -
            """
    )

    @Option(name: .long, help: "JWK Set with the verification keys.")
    var jwks: String
    @Option(name: .long, help: "Required issuer.")
    var issuer: String?
    @Option(name: .long, help: "Required audience.")
    var audience: String?
    @Option(name: .long, help: "Clock-skew leeway in seconds (default 30).")
    var leeway: Double = 30
    @Option(name: .long, help: "Maximum exp − iat in seconds (default 3600).")
    var maxTtl: Double = 3600
    @Option(name: .long, help: "Verify as of this time (RFC 3339 or UNIX seconds) instead of now.")
    var at: String?
    @Flag(name: .long, help: "Accept a token without kid when exactly one key of its algorithm exists.")
    var allowMissingKid = false
    @Argument(help: "The token, or - to read it from stdin.")
    var token: String

    func validate() throws {
        // An infinite leeway or maximum would accept tokens the defaults refuse: bad usage.
        guard leeway.isFinite, leeway >= 0 else { throw ValidationError("--leeway must be a finite number of seconds, 0 or more") }
        guard maxTtl.isFinite, maxTtl > 0 else { throw ValidationError("--max-ttl must be a finite number of seconds, more than 0") }
    }

    func run() async throws {
        let set: JWKSet
        do { set = try JWKSet(json: try InputFiles.data(jwks)) } catch let error as TokenError {
            throw CommandFailure.badInput("\(jwks): \(error.message)")
        }
        let keys: [VerificationKey]
        do { keys = try set.verificationKeys() } catch { throw CommandFailure.badInput("\(jwks): \(error.message)") }
        let now = try at.map { try TimeArgument.parse($0) } ?? Date()
        let options = TokenValidationOptions(issuer: issuer, audience: audience, leeway: leeway, maximumLifetime: maxTtl,
                                             clock: { now })
        let ring: KeyRing
        do { ring = try KeyRing(verificationKeys: keys, allowsMissingKeyID: allowMissingKid) } catch {
            throw CommandFailure.badInput("\(jwks): \(error.message)")
        }
        let text = token == "-" ? String(decoding: try InputFiles.data("-"), as: UTF8.self) : token
        let claims: JSONValue
        do {
            let verified = try await TokenVerifier(keyRing: ring, options: options).verify(String(text.trimmingSuffixNewlines))
            claims = try JSONValue(parsing: verified.payload)
        } catch {
            printTokenError(error)
            throw ExitCode(1)
        }
        FileHandleOutput.standardOutput.write(JSONValue.object(claims.objectValue ?? [:]).serialized + "\n")
    }
}

struct TokenInspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Decode a token WITHOUT verifying it: {\"verified\":false,\"header\":…,\"claims\":…}.",
        discussion: """
            For debugging only; nothing printed here is trustworthy.

            Example:
              zt token inspect "$TOKEN"
            """
    )

    @Argument(help: "The token, or - for stdin.")
    var token: String

    func run() throws {
        let text = token == "-" ? String(decoding: try InputFiles.data("-"), as: UTF8.self) : token
        let parts = text.trimmingSuffixNewlines.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw CommandFailure.badInput("not a compact JWS (expected three segments)") }
        func decode(_ part: Substring, _ name: String) throws -> JSONValue {
            guard let bytes = Base64.decode(part, variant: .urlSafeUnpadded), let value = try? JSONValue(parsing: bytes) else {
                throw CommandFailure.badInput("the \(name) segment is not base64url JSON")
            }
            return value
        }
        let output = JSONValue.object(["verified": .bool(false), "header": try decode(parts[0], "header"),
                                       "claims": try decode(parts[1], "payload")])
        FileHandleOutput.standardOutput.write(output.serialized + "\n")
    }
}

func loadJWK(_ path: String) throws -> JWK {
    let bytes = try loading("cannot read \(path)") { try SecretFile.read(path) }
    do { return try bytes.withUnsafeBytes { try JWK(json: Array($0)) } } catch let error as TokenError {
        throw CommandFailure.badInput("\(path): \(error.message)")
    }
}
