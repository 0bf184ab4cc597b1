// swift-tools-version: 6.2
import PackageDescription

/// Layers are modules: pure cores (protocol, index, catalog, transfer) touch no socket; `P2PNet` is
/// the one networking layer; `Systemd` is a thin shim over libsystemd; executables only wire parts.
let package = Package(
    name: "p2p",
    platforms: [.macOS(.v15)],
    products: [],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        // No traits: the default JSON trait imports full Foundation (≈ 40 MB more in a static binary);
        // our INI files come in through a provider of our own.
        .package(url: "https://github.com/apple/swift-configuration.git", from: "1.4.0", traits: []),
    ],
    targets: [
        // Each part adds its targets here.
        .target(
            name: "P2PConfig",
            dependencies: [
                .product(name: "Configuration", package: "swift-configuration")
            ]
        ),
        .testTarget(
            name: "P2PConfigTests",
            dependencies: [
                "P2PConfig",
                .product(name: "Configuration", package: "swift-configuration"),
            ]
        ),
    ]
)
