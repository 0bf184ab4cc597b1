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
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
    ],
    targets: [
        // Each part adds its targets here.

        // systemd: libsystemd's C API (sd-daemon, sd-journal) and the thin Swift layer over it.
        .systemLibrary(
            name: "CSystemd",
            pkgConfig: "libsystemd",
            providers: [.apt(["libsystemd-dev"])]
        ),
        .target(
            name: "Systemd",
            dependencies: [
                "CSystemd",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // Prints the sockets it was handed; SystemdTests runs it under systemd-socket-activate.
        .executableTarget(
            name: "systemd-fds-probe",
            dependencies: ["Systemd"]
        ),
        .testTarget(
            name: "SystemdTests",
            dependencies: [
                "Systemd",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
    ]
)
