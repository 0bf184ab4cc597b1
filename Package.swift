// swift-tools-version: 6.2
import PackageDescription

/// Layers are modules: pure cores (protocol, index, catalog, transfer) touch no socket; `P2PNet` is
/// the one networking layer; `Systemd` is a thin shim over libsystemd; executables only wire parts.
let package = Package(
    name: "p2p",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "p2p-indexd", targets: ["p2p-indexd"]),
        .executable(name: "p2p-peerd", targets: ["p2p-peerd"]),
        .executable(name: "p2pctl", targets: ["p2pctl"]),
        .executable(name: "p2p-multicall", targets: ["p2p-multicall"]),
        .executable(name: "p2p-bench", targets: ["p2p-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        // No traits: the default JSON trait imports full Foundation (≈ 40 MB more in a static binary);
        // our INI files come in through a provider of our own.
        .package(url: "https://github.com/apple/swift-configuration.git", from: "1.4.0", traits: []),
    ],
    targets: [
        // Pure cores.
        .target(name: "P2PProtocol"),
        .target(name: "P2PIndex", dependencies: ["P2PProtocol"]),
        // The peer's file catalog: names, hashes, safe opening, hash cache, folder watching.
        // Filesystem yes, sockets never; Glibc and swift-crypto only. No full Foundation (swift-crypto
        // itself uses FoundationEssentials on Linux).
        .target(
            name: "P2PCatalog",
            dependencies: ["P2PProtocol", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // Download bookkeeping: `.part` files, verification, source choice and failover.
        .target(name: "P2PTransfer", dependencies: ["P2PProtocol", "P2PCatalog"]),
        // The optional cluster key: HMAC challenge-response proofs and the key file. Its own target
        // so p2pctl, which never authenticates, does not link BoringSSL.
        .target(
            name: "P2PCluster",
            dependencies: ["P2PProtocol", .product(name: "Crypto", package: "swift-crypto")]
        ),

        // Layered configuration: defaults < /etc/p2p files < drop-ins < environment < flags.
        .target(
            name: "P2PConfig",
            dependencies: [
                "P2PProtocol", "P2PCluster", .product(name: "Configuration", package: "swift-configuration"),
            ]
        ),

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

        // Networking.
        .target(name: "CPeerCredentials"),
        .target(name: "CMallocTuning"),
        .target(
            name: "P2PNet",
            dependencies: [
                "P2PProtocol", "P2PIndex", "P2PCluster", "CPeerCredentials",
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
                "P2PIndex", "P2PNet", "P2PCatalog", "P2PTransfer", "P2PConfig", "P2PCluster", "Systemd",
                "CMallocTuning",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // The commands (option parsing and wiring only), as libraries: each of the executables below
        // and the multi-call binary start the same types.
        .target(
            name: "IndexDaemonCLI",
            dependencies: [
                "P2PDaemons", "P2PIndex", "P2PConfig", "P2PProtocol",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(
            name: "PeerDaemonCLI",
            dependencies: [
                "P2PDaemons", "P2PConfig", "P2PProtocol",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(
            name: "P2PCtlCLI",
            dependencies: [
                "P2PControl", "P2PProtocol",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // One executable per command, for development and the tests (`swift run p2p-indexd`).
        .executableTarget(name: "p2p-indexd", dependencies: ["IndexDaemonCLI"]),
        .executableTarget(name: "p2p-peerd", dependencies: ["PeerDaemonCLI"]),
        .executableTarget(name: "p2pctl", dependencies: ["P2PCtlCLI"]),
        // What the package ships: all three commands in one static binary, chosen by the name it is run
        // by (argv[0]). They share one copy of the Swift runtime, NIO and the cores instead of three.
        .executableTarget(
            name: "p2p-multicall",
            dependencies: ["IndexDaemonCLI", "PeerDaemonCLI", "P2PCtlCLI"]
        ),

        // The evaluation tool (not shipped in the .deb): datasets, weak and strong scaling, registry
        // cost. Blocking sockets on OS threads and posix_spawn; no NIO, no Foundation.
        .target(
            name: "P2PBench",
            dependencies: ["P2PProtocol", "P2PControl", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .executableTarget(
            name: "p2p-bench",
            dependencies: [
                "P2PBench", "P2PProtocol",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // Test fixture: prints the sockets it was handed; SystemdTests runs it under
        // systemd-socket-activate.
        .executableTarget(name: "systemd-fds-probe", dependencies: ["Systemd"]),

        // Fuzzing. `P2PFuzz` holds one target per parser, each with the properties it checks;
        // `p2p-fuzz` runs them under libFuzzer when built with `-D P2P_LIBFUZZER` and
        // `-sanitize=fuzzer,address` (`make fuzz`), and replays files through them otherwise.
        .target(
            name: "P2PFuzz",
            dependencies: [
                "P2PProtocol", "P2PIndex", "P2PNet", "P2PCatalog", "P2PConfig",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ]
        ),
        .target(name: "CLibFuzzer"),
        .executableTarget(name: "p2p-fuzz", dependencies: ["P2PFuzz", "CLibFuzzer"]),

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
        .testTarget(name: "P2PControlTests", dependencies: ["P2PControl"]),
        .testTarget(name: "P2PBenchTests", dependencies: ["P2PBench", "P2PProtocol"]),
        .testTarget(
            name: "SystemdTests",
            dependencies: [
                "Systemd",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(name: "P2PCatalogTests", dependencies: ["P2PCatalog"]),
        .testTarget(
            name: "P2PConfigTests",
            dependencies: ["P2PConfig", .product(name: "Configuration", package: "swift-configuration")]
        ),
        .testTarget(name: "P2PTransferTests", dependencies: ["P2PTransfer", "P2PCatalog"]),
        .testTarget(name: "P2PProtocolTests", dependencies: ["P2PProtocol"]),
        .testTarget(name: "P2PIndexTests", dependencies: ["P2PIndex"]),
        .testTarget(name: "P2PClusterTests", dependencies: ["P2PCluster", "P2PProtocol"]),
        // Replays Tests/FuzzCorpus through the fuzz targets: no fuzzing, no sanitizers.
        .testTarget(name: "FuzzReplayTests", dependencies: ["P2PFuzz"]),
        .testTarget(
            name: "P2PNetTests",
            dependencies: [
                "P2PNet", "P2PControl", "ControlTestSupport", "CPeerCredentials",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOTestUtils", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "IntegrationTests",
            dependencies: [
                "P2PProtocol", "P2PNet", "P2PCluster", "ControlTestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
    ]
)
