// swift-tools-version:6.1
import PackageDescription

// Benchmarks for ZeroTrustKit, in their own package so that the library itself does not depend
// on package-benchmark. From the repository root:
//
//     swift package --package-path Benchmarks benchmark --target CryptoBenchmarks
//
// Results, and how they were measured: ../Documentation/Performance.md.

/// One benchmark suite: an executable target in `Benchmarks/<name>/` that links `Benchmark` and
/// the named ZeroTrustKit products, with the plugin that generates its entry point.
/// To add a suite, create `Benchmarks/<name>/` and add one `suite(...)` line to `targets`.
func suite(_ name: String, products: [String], extra: [Target.Dependency] = []) -> Target {
    .executableTarget(
        name: name,
        dependencies: [.product(name: "Benchmark", package: "package-benchmark")]
            + products.map { .product(name: $0, package: "ZeroTrustKit") } + extra,
        path: name,
        swiftSettings: [.swiftLanguageMode(.v6)],
        plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
    )
}

let package = Package(
    name: "ZeroTrustKitBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "ZeroTrustKit", path: "../"),
        // The MallocInterposer trait counts allocations without jemalloc; naming it also turns
        // off the package's other default traits, which these suites do not need.
        .package(url: "https://github.com/ordo-one/package-benchmark", from: "1.38.0", traits: ["MallocInterposer"]),
        // The peer TokenBenchmarks is measured against; a dependency of the benchmarks only.
        .package(url: "https://github.com/vapor/jwt-kit", from: "5.7.0"),
    ],
    targets: [
        suite("CryptoBenchmarks", products: ["ZeroTrustCrypto"]),
        suite("IdentityBenchmarks", products: ["ZeroTrustIdentity"], extra: ["IdentityBaseline"]),
        // X509_verify_cert called directly from C: the baseline IdentityBenchmarks compares with.
        .target(name: "IdentityBaseline", path: "IdentityBaseline", linkerSettings: [.linkedLibrary("crypto")]),
        suite("TokenBenchmarks", products: ["ZeroTrustCrypto", "ZeroTrustIdentity"],
              extra: [.product(name: "JWTKit", package: "jwt-kit")]),
        suite("PolicyBenchmarks", products: ["ZeroTrustPolicy"]),
        suite("EnvelopeBenchmarks", products: ["ZeroTrustCrypto", "ZeroTrustEnvelope", "ZeroTrustKitTesting"]),
        suite("AuditBenchmarks", products: ["ZeroTrustCrypto", "ZeroTrustMonitoring"]),
        suite("GatekeeperBenchmarks", products: ["ZeroTrustKit"]),
    ],
    swiftLanguageModes: [.v6]
)
