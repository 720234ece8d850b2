// swift-tools-version:6.1
import PackageDescription

/// Settings every Swift target shares: Swift 6 language mode plus the upcoming features that make
/// imports and existentials explicit (see ../shared/design/STYLE.md).
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "ZeroTrustKit",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "ZeroTrustCrypto", targets: ["ZeroTrustCrypto"]),
        .library(name: "ZeroTrustMonitoring", targets: ["ZeroTrustMonitoring"]),
        .library(name: "ZeroTrustKitTesting", targets: ["ZeroTrustKitTesting"]),
        .executable(name: "zt", targets: ["zt"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.5.0"),
    ],
    targets: [
        // System libraries. Only ZeroTrustCrypto imports these.
        .systemLibrary(
            name: "CZeroTrustOpenSSL",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"]), .brew(["openssl@3"])]
        ),
        .systemLibrary(
            name: "CZeroTrustSodium",
            pkgConfig: "libsodium",
            providers: [.apt(["libsodium-dev"]), .brew(["libsodium"])]
        ),
        // Forwarding functions for the OpenSSL macros Swift cannot import.
        .target(
            name: "CZeroTrustShims",
            dependencies: ["CZeroTrustOpenSSL"]
        ),
        .target(
            name: "ZeroTrustCrypto",
            dependencies: ["CZeroTrustOpenSSL", "CZeroTrustSodium", "CZeroTrustShims"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "ZeroTrustMonitoring",
            dependencies: [
                "ZeroTrustCrypto",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: strictSettings
        ),
        // Test doubles that users' own test suites import (InMemoryAuditSink, InMemoryKMS, ...).
        .target(
            name: "ZeroTrustKitTesting",
            dependencies: ["ZeroTrustMonitoring"],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "zt",
            dependencies: [
                "ZeroTrustCrypto",
                "ZeroTrustMonitoring",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ZeroTrustCryptoTests",
            dependencies: ["ZeroTrustCrypto"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ZeroTrustMonitoringTests",
            dependencies: [
                "ZeroTrustMonitoring", "ZeroTrustKitTesting", "ZeroTrustCrypto",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
            ],
            resources: [.copy("Fixtures")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ztTests",
            // Depends on the executable so that `swift test` builds the binary these tests run.
            dependencies: ["zt"],
            swiftSettings: strictSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
