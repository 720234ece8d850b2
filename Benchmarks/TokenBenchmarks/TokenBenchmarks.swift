import Benchmark
import Foundation
import JWTKit
import ZeroTrustCrypto
import ZeroTrustIdentity

// Token issue and verify, ZeroTrustKit next to vapor/jwt-kit 5 in the same run, for HS256, ES256,
// EdDSA and RS256 with a typical claims set (sub, iss, aud, iat, exp, jti, three permissions), and
// the raw signature verification of the same key (the floor a verifier cannot beat).
//
//     swift package --package-path Benchmarks benchmark --target TokenBenchmarks --scale
//
// ZeroTrustKit verifies 64 tokens in turn that differ in `jti` (one principal's tokens), jwt-kit
// one token over and over (it keeps nothing from one verification to the next).
//
// Targets (issue 4): HS256 verify ≥ 10× jwt-kit, measured as separate benchmarks and as
// "verify ZeroTrustKit ÷ jwt-kit", which alternates the two; ES256/EdDSA/RS256 verify ≥ 0.9× the
// raw signature verification, measured as separate benchmarks and as "verify ÷ raw signature
// verify". Results: Documentation/Performance.md.
let benchmarks: @Sendable () -> Void = {
    for algorithm in [ZeroTrustIdentity.JWSAlgorithm.hs256, .es256, .edDSA, .rs256] {
        // One key per algorithm, shared by the raw and the token benchmarks so that the ratio
        // compares the same key; RSA keys are 2048 bits, as jwt-kit's below.
        guard let fixture = try? Fixture(algorithm) else { continue }
        registerTokenBenchmarks(fixture)
    }
}

/// Everything one algorithm's benchmarks share, made before measuring.
struct Fixture: Sendable {
    let algorithm: ZeroTrustIdentity.JWSAlgorithm
    let key: ZeroTrustIdentity.SigningKey
    let issuer: TokenIssuer
    let verifier: TokenVerifier
    /// 64 tokens of one principal: the same claims but for `jti` (and `iat`), as a service sees
    /// them, so that nothing is measured on one token verified over and over.
    let tokens: [String]
    var token: String { tokens[0] }

    init(_ algorithm: ZeroTrustIdentity.JWSAlgorithm) throws {
        self.algorithm = algorithm
        key = algorithm == .rs256
            ? try ZeroTrustIdentity.SigningKey(rsa: ZeroTrustCrypto.RSA.PrivateKey(keySize: 2048), algorithm: .rs256, keyID: "k1")
            : try ZeroTrustIdentity.SigningKey.generate(algorithm: algorithm, keyID: "k1")
        let ring = try KeyRing(signingKey: key)
        issuer = TokenIssuer(keyRing: ring, issuer: "https://auth.example")
        verifier = TokenVerifier(keyRing: ring, options: TokenValidationOptions(issuer: "https://auth.example", audience: "registry"))
        let issuer = issuer
        tokens = try (0..<64).map { _ in
            try issuer.issue(subject: "alice", audience: ["registry"], lifetime: 900,
                             custom: ["permissions": .array(permissions.map { .string($0) })])
        }
    }
}

/// The claims jwt-kit verifies: the same set ZeroTrustKit's tokens carry.
struct BenchmarkClaims: JWTPayload {
    var sub: SubjectClaim
    var iss: IssuerClaim
    var aud: AudienceClaim
    var iat: IssuedAtClaim
    var exp: ExpirationClaim
    var jti: IDClaim
    var permissions: [String]

    func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
    }
}

let permissions = ["read_data", "submit_training_job", "read_metrics"]

func configuration(_ scaling: BenchmarkScalingFactor) -> Benchmark.Configuration {
    Benchmark.Configuration(metrics: [.throughput, .wallClock, .mallocCountTotal], warmupIterations: 3,
                            scalingFactor: scaling, maxDuration: .seconds(2), maxIterations: 100_000)
}

func registerTokenBenchmarks(_ fixture: Fixture) {
    let algorithm = fixture.algorithm
    let scaling: BenchmarkScalingFactor = algorithm == .hs256 ? .kilo : .one
    let name = algorithm.rawValue

    Benchmark("Tokens \(name) verify ZeroTrustKit", configuration: configuration(scaling)) { benchmark in
        // Bound before the measurement, as the raw benchmark binds its key and bytes (and jwt-kit
        // its key collection and token): the loop measures the verification only.
        let verifier = fixture.verifier, tokens = fixture.tokens
        benchmark.startMeasurement()
        for iteration in benchmark.scaledIterations {
            blackHole(try await verifier.verify(tokens[iteration & 63]))
        }
    }

    if algorithm == .hs256 {
        // The verifier remembers the custom claims of recent tokens by their text (they repeat from
        // one token of a principal to the next). Here no token's custom claims repeat within 64
        // tokens, so every lookup misses (the cache is then bypassed for most tokens): the cost for
        // a stream of all-different custom claims.
        Benchmark("Tokens \(name) verify ZeroTrustKit (custom claims differ per token)", configuration: configuration(scaling)) { benchmark in
            let verifier = fixture.verifier
            let tokens = try (0..<64).map { index in
                try fixture.issuer.issue(subject: "alice", audience: ["registry"], lifetime: 900,
                                         custom: ["permissions": .array((permissions.dropLast() + ["read_metrics_\(index)"]).map { .string($0) })])
            }
            benchmark.startMeasurement()
            for iteration in benchmark.scaledIterations {
                blackHole(try await verifier.verify(tokens[iteration & 63]))
            }
        }
    }

    if algorithm == .hs256 {
        // The 10× target as one number: batches of ZeroTrustKit verifications alternate with
        // batches of jwt-kit verifications of the same claims, and the ratio of their rates is
        // recorded in percent, so that the machine's slow and fast spells affect both alike.
        let ratio = BenchmarkMetric.custom("ratio %", polarity: .prefersLarger, useScalingFactor: false)
        Benchmark("Tokens \(name) verify ZeroTrustKit ÷ jwt-kit", configuration: .init(metrics: [ratio], warmupIterations: 1, scalingFactor: .one,
                                                                                   maxDuration: .seconds(6), maxIterations: 20)) { benchmark in
            let verifier = fixture.verifier, tokens = fixture.tokens
            let keys = try await jwtKitKeys(algorithm)
            let jwtKitToken = try await keys.sign(jwtKitClaims(), kid: "k1")
            let clock = ContinuousClock()
            var ours = Duration.zero, theirs = Duration.zero
            for _ in 0..<4 {
                let start = clock.now
                for index in 0..<2_000 { blackHole(try await verifier.verify(tokens[index & 63])) }
                let middle = clock.now
                for _ in 0..<200 { blackHole(try await keys.verify(jwtKitToken, as: BenchmarkClaims.self)) }
                ours += start.duration(to: middle)
                theirs += middle.duration(to: clock.now)
            }
            // rate(ours) / rate(theirs) = (2000 / ours) / (200 / theirs)
            benchmark.measurement(ratio, Int((theirs / ours) * 10 * 100))
        }
    }

    Benchmark("Tokens \(name) verify jwt-kit", configuration: configuration(scaling)) { benchmark in
        let keys = try await jwtKitKeys(algorithm)
        let token = try await keys.sign(jwtKitClaims(), kid: "k1")
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(try await keys.verify(token, as: BenchmarkClaims.self))
        }
    }

    Benchmark("Tokens \(name) raw signature verify", configuration: configuration(scaling)) { benchmark in
        // The same key and the same signed bytes as the token benchmark: the ratio of the two is
        // the cost of everything but the signature check.
        let input = Array(fixture.token.split(separator: ".").prefix(2).joined(separator: ".").utf8)
        let signature = try fixture.key.signature(for: input)
        let verification = fixture.key.verificationKey
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(verification.isValidSignature(signature, for: input))
        }
    }

    if algorithm != .hs256 {
        // The 0.9× target as one number: batches of verifications alternate with batches of raw
        // signature checks of the same key and bytes, and the ratio of their rates is recorded in
        // percent, so that the machine's slow and fast spells affect both sides alike (as in
        // IdentityBenchmarks).
        let ratio = BenchmarkMetric.custom("ratio %", polarity: .prefersLarger, useScalingFactor: false)
        Benchmark("Tokens \(name) verify ÷ raw signature verify",
                  configuration: .init(metrics: [ratio], warmupIterations: 1, scalingFactor: .one,
                                       maxDuration: .seconds(4), maxIterations: 20)) { benchmark in
            let verifier = fixture.verifier, tokens = fixture.tokens
            let input = Array(fixture.token.split(separator: ".").prefix(2).joined(separator: ".").utf8)
            let signature = try fixture.key.signature(for: input)
            let verification = fixture.key.verificationKey
            let clock = ContinuousClock()
            let batch = 200
            var verifying = Duration.zero, raw = Duration.zero
            for _ in 0..<4 {
                let start = clock.now
                for index in 0..<batch { blackHole(try await verifier.verify(tokens[index & 63])) }
                let middle = clock.now
                for _ in 0..<batch { blackHole(verification.isValidSignature(signature, for: input)) }
                verifying += start.duration(to: middle)
                raw += middle.duration(to: clock.now)
            }
            // rate(verify) / rate(raw) = time(raw) / time(verify)
            benchmark.measurement(ratio, Int((raw / verifying) * 100))
        }
    }

    Benchmark("Tokens \(name) issue ZeroTrustKit", configuration: configuration(scaling)) { benchmark in
        let issuer = fixture.issuer
        let custom: [String: JSONValue] = ["permissions": .array(permissions.map { .string($0) })]
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(try issuer.issue(subject: "alice", audience: ["registry"], lifetime: 900, custom: custom))
        }
    }

    Benchmark("Tokens \(name) issue jwt-kit", configuration: configuration(scaling)) { benchmark in
        let keys = try await jwtKitKeys(algorithm)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(try await keys.sign(jwtKitClaims(), kid: "k1"))
        }
    }
}

func jwtKitClaims() -> BenchmarkClaims {
    let now = Date()
    return BenchmarkClaims(sub: "alice", iss: "https://auth.example", aud: "registry", iat: .init(value: now),
                           exp: .init(value: now.addingTimeInterval(900)), jti: .init(value: UUID().uuidString),
                           permissions: permissions)
}

func jwtKitKeys(_ algorithm: ZeroTrustIdentity.JWSAlgorithm) async throws -> JWTKeyCollection {
    let keys = JWTKeyCollection()
    switch algorithm {
    case .hs256:
        await keys.add(hmac: JWTKit.HMACKey(from: Array(ZeroTrustCrypto.SecureRandom.bytes(count: 32))), digestAlgorithm: .sha256, kid: "k1")
    case .es256:
        await keys.add(ecdsa: ES256PrivateKey(), kid: "k1")
    case .edDSA:
        await keys.add(eddsa: try EdDSA.PrivateKey(curve: .ed25519), kid: "k1")
    default:
        let pem = try ZeroTrustCrypto.RSA.PrivateKey(keySize: 2048).pemRepresentation
        await keys.add(rsa: try Insecure.RSA.PrivateKey(pem: pem), digestAlgorithm: .sha256, kid: "k1")
    }
    return keys
}
