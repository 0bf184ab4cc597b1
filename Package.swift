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
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
    ],
    targets: [
        // Each part adds its targets here.

        // The peer's file catalog: names, hashes, safe opening, hash cache, folder watching.
        // Filesystem yes, sockets never; Glibc and swift-crypto only. No full Foundation (swift-crypto
        // itself uses FoundationEssentials on Linux).
        .target(
            name: "P2PCatalog",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")]
        ),
        .testTarget(name: "P2PCatalogTests", dependencies: ["P2PCatalog"]),
    ]
)
