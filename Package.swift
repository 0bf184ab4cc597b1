// swift-tools-version: 6.2
import PackageDescription

/// Layers are modules: pure cores (protocol, index, catalog, transfer) touch no socket; `P2PNet` is
/// the one networking layer; `Systemd` is a thin shim over libsystemd; executables only wire parts.
let package = Package(
    name: "p2p",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "p2p-indexd", targets: ["p2p-indexd"]),
        .executable(name: "p2pctl", targets: ["p2pctl"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
    ],
    targets: [
        // Pure cores.
        .target(name: "P2PProtocol"),
        .target(name: "P2PIndex", dependencies: ["P2PProtocol"]),

        // Networking.
        .target(name: "CPeerCredentials"),
        .target(
            name: "P2PNet",
            dependencies: [
                "P2PProtocol", "CPeerCredentials",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // The control channel's client side: plain blocking sockets, no NIO, so p2pctl stays small.
        .target(name: "P2PControl", dependencies: ["P2PProtocol"]),

        // Daemon assembly: servers, periodic work and graceful shutdown as services.
        .target(
            name: "P2PDaemons",
            dependencies: [
                "P2PIndex", "P2PNet",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // Executables: option parsing and wiring only.
        .executableTarget(
            name: "p2p-indexd",
            dependencies: [
                "P2PDaemons", "P2PIndex", "P2PNet",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        .executableTarget(
            name: "p2pctl",
            dependencies: [
                "P2PControl", "P2PProtocol",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // Tests. `ControlTestSupport` is a fixture library: a fake `PeerController` and a control
        // server on a scratch socket, shared by the unit and the real-process tests.
        .target(
            name: "ControlTestSupport",
            dependencies: [
                "P2PNet", "P2PProtocol",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/ControlTestSupport"
        ),
        .testTarget(name: "P2PProtocolTests", dependencies: ["P2PProtocol"]),
        .testTarget(name: "P2PIndexTests", dependencies: ["P2PIndex"]),
        .testTarget(
            name: "P2PNetTests",
            dependencies: [
                "P2PNet", "P2PControl", "ControlTestSupport", "CPeerCredentials",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOTestUtils", package: "swift-nio"),
            ]
        ),
        .testTarget(name: "P2PControlTests", dependencies: ["P2PControl"]),
        .testTarget(name: "IntegrationTests", dependencies: ["P2PProtocol", "P2PNet", "ControlTestSupport"]),
    ]
)
