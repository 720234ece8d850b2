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
func suite(_ name: String, products: [String]) -> Target {
    .executableTarget(
        name: name,
        dependencies: [.product(name: "Benchmark", package: "package-benchmark")]
            + products.map { .product(name: $0, package: "ZeroTrustKit") },
        path: name,
        swiftSettings: [.swiftLanguageMode(.v6)],
        plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
    )
}

let package = Package(
    name: "ZeroTrustKitBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "ZeroTrustKit", path: "../"),
        // The MallocInterposer trait counts allocations without jemalloc; naming it also turns
        // off the package's other default traits, which these suites do not need.
        .package(url: "https://github.com/ordo-one/package-benchmark", from: "1.38.0", traits: ["MallocInterposer"]),
    ],
    targets: [
        suite("CryptoBenchmarks", products: ["ZeroTrustCrypto"]),
        suite("AuditBenchmarks", products: ["ZeroTrustCrypto", "ZeroTrustMonitoring"]),
    ],
    swiftLanguageModes: [.v6]
)
