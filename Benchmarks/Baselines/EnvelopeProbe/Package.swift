// swift-tools-version:6.0
// A stand-alone release executable that measures the envelope's streaming memory and throughput
// outside the benchmark harness (see README.md next to this file). Not part of the main build.
import PackageDescription

let package = Package(
    name: "EnvelopeProbe",
    dependencies: [.package(name: "ZeroTrustKit", path: "../../..")],
    targets: [
        .executableTarget(name: "EnvelopeProbe", dependencies: [
            .product(name: "ZeroTrustCrypto", package: "ZeroTrustKit"),
            .product(name: "ZeroTrustEnvelope", package: "ZeroTrustKit"),
            .product(name: "ZeroTrustKitTesting", package: "ZeroTrustKit"),
        ]),
    ]
)
