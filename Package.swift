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
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "ZeroTrustCrypto", targets: ["ZeroTrustCrypto"]),
        .library(name: "ZeroTrustIdentity", targets: ["ZeroTrustIdentity"]),
        .library(name: "ZeroTrustPolicy", targets: ["ZeroTrustPolicy"]),
        .library(name: "ZeroTrustEnvelope", targets: ["ZeroTrustEnvelope"]),
        .library(name: "ZeroTrustMonitoring", targets: ["ZeroTrustMonitoring"]),
        .library(name: "ZeroTrustKit", targets: ["ZeroTrustKit"]),
        .library(name: "ZeroTrustKitTesting", targets: ["ZeroTrustKitTesting"]),
        .executable(name: "zt", targets: ["zt"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.5.0"),
        // Tests only: property-based checks that the indexed policy engine equals a naive one.
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.0"),
        // `make docs` only. A command plugin: packages depending on ZeroTrustKit never fetch it, and
        // `swift build` here only compiles the plugin script (~3 s clean), not its tools.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
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
        // sched_getcpu, which Glibc's module does not export, and the per-CPU values built on it.
        .target(name: "CZeroTrustCPU"),
        .target(
            name: "ZeroTrustCPULocal",
            dependencies: ["CZeroTrustCPU"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "ZeroTrustCrypto",
            dependencies: ["CZeroTrustOpenSSL", "CZeroTrustSodium", "CZeroTrustShims", "ZeroTrustCPULocal"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "ZeroTrustIdentity",
            dependencies: ["ZeroTrustCrypto", "ZeroTrustCPULocal", .product(name: "Yams", package: "Yams")],
            swiftSettings: strictSettings
        ),
        // Pure: no crypto, no I/O while deciding.
        .target(
            name: "ZeroTrustPolicy",
            dependencies: ["ZeroTrustCPULocal", .product(name: "Yams", package: "Yams")],
            swiftSettings: strictSettings
        ),
        .target(
            name: "ZeroTrustEnvelope",
            dependencies: ["ZeroTrustCrypto"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "ZeroTrustMonitoring",
            dependencies: [
                "ZeroTrustCrypto", "ZeroTrustCPULocal",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: strictSettings
        ),
        // The umbrella a service imports: the gatekeeper, re-exporting every public module.
        .target(
            name: "ZeroTrustKit",
            dependencies: [
                "ZeroTrustCrypto", "ZeroTrustIdentity", "ZeroTrustPolicy", "ZeroTrustEnvelope", "ZeroTrustMonitoring",
                "ZeroTrustCPULocal", .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strictSettings
        ),
        // Test doubles that users' own test suites import (InMemoryKMS, InMemoryAuditSink, …).
        .target(
            name: "ZeroTrustKitTesting",
            dependencies: ["ZeroTrustEnvelope", "ZeroTrustMonitoring"],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "zt",
            dependencies: [
                "ZeroTrustCrypto",
                "ZeroTrustIdentity",
                "ZeroTrustPolicy",
                "ZeroTrustEnvelope",
                "ZeroTrustMonitoring",
                "ZeroTrustKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ZeroTrustCryptoTests",
            dependencies: ["ZeroTrustCrypto", "ZeroTrustCPULocal"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ZeroTrustIdentityTests",
            dependencies: ["ZeroTrustIdentity", "ZeroTrustCrypto"],
            exclude: ["Fixtures"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ZeroTrustPolicyTests",
            dependencies: [
                "ZeroTrustPolicy",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            resources: [.copy("Fixtures")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ZeroTrustEnvelopeTests",
            dependencies: ["ZeroTrustEnvelope", "ZeroTrustKitTesting"],
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
            name: "ZeroTrustKitTests",
            dependencies: ["ZeroTrustKit", "ZeroTrustKitTesting"],
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
