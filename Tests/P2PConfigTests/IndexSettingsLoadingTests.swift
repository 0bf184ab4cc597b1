import P2PConfig
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite("Index settings loading")
struct IndexSettingsLoadingTests {
    @Test("with no files, no environment and no flags, the built-in defaults apply")
    func defaults() throws {
        try withScratchDirectory { dir in
            let loaded = try IndexSettings.load(locations: dir.locations, environment: [:])
            #expect(loaded.settings == IndexSettings())
            #expect(loaded.warnings.isEmpty)
            #expect(loaded.files.isEmpty)
            let expected = IndexSettings(
                listenAddress: "0.0.0.0", port: 7000, heartbeatTTLSeconds: 30, seedPeerLifetimeSeconds: 3600,
                replicationFactor: 2, maxFrameBytes: 65536, maxRegistryFrameBytes: 16_777_216, readTimeoutSeconds: 30,
                maxConnections: 4096, maxSearchResults: 100, stateDirectory: "/var/lib/p2p/index")
            #expect(loaded.settings == expected)
        }
    }

    @Test("every key is read from index.conf")
    func everyKeyFromFile() throws {
        try withScratchDirectory { dir in
            try dir.write(
                "index.conf",
                """
                [Index]
                ListenAddress=::
                Port=7001
                HeartbeatTTLSec=45
                SeedPeerLifetimeSec=600
                ReplicationFactor=3
                MaxFrameBytes=128K
                MaxRegistryFrameBytes=32M
                ReadTimeoutSec=5
                MaxConnections=100
                MaxConnectionsPerClient=7
                MaxSearchResults=10
                StateDirectory=/srv/index/
                """)
            let loaded = try IndexSettings.load(locations: dir.locations, environment: [:])
            #expect(
                loaded.settings
                    == IndexSettings(
                        listenAddress: "::", port: 7001, heartbeatTTLSeconds: 45, seedPeerLifetimeSeconds: 600,
                        replicationFactor: 3, maxFrameBytes: 131_072, maxRegistryFrameBytes: 33_554_432,
                        readTimeoutSeconds: 5, maxConnections: 100, maxConnectionsPerClient: 7, maxSearchResults: 10,
                        stateDirectory: "/srv/index"))
            #expect(loaded.files == [dir.path + "/index.conf"])
        }
    }

    /// Builds the layers bottom-up, each setting `Port` to its own value, and checks that the top
    /// one present wins while a key set only low down shows through.
    @Test("each layer overrides the one below", arguments: 1...5)
    func layering(layers: Int) throws {
        try withScratchDirectory { dir in
            try dir.write("index.conf", "[Index]\nPort=7001\nMaxSearchResults=7\n")
            if layers >= 2 { try dir.write("index.conf.d/10-a.conf", "[Index]\nPort=7002\n") }
            if layers >= 3 { try dir.write("index.conf.d/20-b.conf", "[Index]\nPort=7003\n") }
            let environment = layers >= 4 ? ["P2P_INDEX_PORT": "7004"] : [:]
            let overrides = layers >= 5 ? ["Index.Port": "7005"] : [:]
            let loaded = try IndexSettings.load(
                locations: dir.locations, environment: environment, overrides: overrides)
            #expect(loaded.settings.port == 7000 + layers)
            #expect(loaded.settings.maxSearchResults == 7)
        }
    }

    @Test("an empty assignment resets a key to its built-in default, masking lower layers")
    func emptyAssignmentResets() throws {
        try withScratchDirectory { dir in
            try dir.write("index.conf", "[Index]\nPort=7001\nReplicationFactor=5\n")
            try dir.write("index.conf.d/reset.conf", "[Index]\nPort=\n")
            let loaded = try IndexSettings.load(
                locations: dir.locations, environment: ["P2P_INDEX_REPLICATION_FACTOR": ""])
            #expect(loaded.settings.port == 7000)
            #expect(loaded.settings.replicationFactor == 2)
        }
    }

    @Test("environment variables map P2P_<SECTION>_<KEY> in snake case")
    func environmentMapping() throws {
        try withScratchDirectory { dir in
            let environment = [
                "P2P_INDEX_LISTEN_ADDRESS": "127.0.0.1",
                "P2P_INDEX_HEARTBEAT_TTL_SEC": "60",
                "P2P_INDEX_SEED_PEER_LIFETIME_SEC": "120",
                "P2P_INDEX_MAX_REGISTRY_FRAME_BYTES": "1M",
                "P2P_INDEX_STATE_DIRECTORY": "/tmp/idx",
                "P2P_PEER_PORT": "9999",  // a peer setting: no effect on the index
                "INDEX_PORT": "9998",  // no prefix: ignored
                "PATH": "/usr/bin",
            ]
            let settings = try IndexSettings.load(locations: dir.locations, environment: environment).settings
            #expect(settings.listenAddress == "127.0.0.1")
            #expect(settings.heartbeatTTLSeconds == 60)
            #expect(settings.seedPeerLifetimeSeconds == 120)
            #expect(settings.maxRegistryFrameBytes == 1_048_576)
            #expect(settings.stateDirectory == "/tmp/idx")
            #expect(settings.port == 7000)
        }
    }

    @Test("a bad value in a file names the file, line, key, value and expectation")
    func badValueInFile() throws {
        try withScratchDirectory { dir in
            try dir.write("index.conf", "# comment\n[Index]\nPort=abc\n")
            let error = configurationError { try IndexSettings.load(locations: dir.locations, environment: [:]) }
            #expect(
                error
                    == .invalidValue(
                        source: .file(path: dir.path + "/index.conf", line: 3), key: IndexSettings.Keys.port,
                        value: "abc", expected: "an integer 0–65535 (0 picks a free port)"))
            #expect(
                error?.description
                    == "\(dir.path)/index.conf:3: [Index] Port=abc: expected an integer 0–65535 (0 picks a free port)")
        }
    }

    @Test("a bad value is blamed on the drop-in that set it, not the main file")
    func badValueInDropIn() throws {
        try withScratchDirectory { dir in
            try dir.write("index.conf", "[Index]\nMaxFrameBytes=64K\n")
            try dir.write("index.conf.d/50-local.conf", "[Index]\n\nMaxFrameBytes=1K\n")
            let error = configurationError { try IndexSettings.load(locations: dir.locations, environment: [:]) }
            #expect(
                error?.description
                    == "\(dir.path)/index.conf.d/50-local.conf:3: [Index] MaxFrameBytes=1K: expected a byte count ≥ 4K (suffix K, M or G = 1024-based)"
            )
        }
    }

    @Test("a bad value from the environment names the variable")
    func badValueInEnvironment() throws {
        try withScratchDirectory { dir in
            let error = configurationError {
                try IndexSettings.load(locations: dir.locations, environment: ["P2P_INDEX_PORT": "abc"])
            }
            #expect(
                error?.description
                    == "environment variable P2P_INDEX_PORT: [Index] Port=abc: expected an integer 0–65535 (0 picks a free port)"
            )
        }
    }

    @Test("a bad value from a flag says command line")
    func badValueOnCommandLine() throws {
        try withScratchDirectory { dir in
            let error = configurationError {
                try IndexSettings.load(locations: dir.locations, environment: [:], overrides: ["Index.Port": "70000"])
            }
            #expect(
                error?.description
                    == "command line: [Index] Port=70000: expected an integer 0–65535 (0 picks a free port)")
        }
    }

    @Test(
        "each value kind explains what it expected",
        arguments: [
            ("ListenAddress", "localhost", "an IPv4 or IPv6 address (e.g. 0.0.0.0 or ::)"),
            ("HeartbeatTTLSec", "0", "a whole number of seconds ≥ 1"),
            ("ReadTimeoutSec", "30s", "a whole number of seconds ≥ 1"),
            ("ReplicationFactor", "0", "an integer ≥ 1"),
            ("MaxConnections", "-1", "an integer ≥ 1"),
            ("MaxConnectionsPerClient", "0", "an integer ≥ 1"),
            ("MaxRegistryFrameBytes", "16MB", "a byte count ≥ 4K (suffix K, M or G = 1024-based)"),
            ("StateDirectory", "relative/path", "an absolute path"),
            ("StateDirectory", "/var/lib/p2p/%i", "an absolute path"),
        ])
    func expectations(key: String, value: String, expected: String) throws {
        try withScratchDirectory { dir in
            try dir.write("index.conf", "[Index]\n\(key)=\(value)\n")
            let error = configurationError { try IndexSettings.load(locations: dir.locations, environment: [:]) }
            #expect(error?.description == "\(dir.path)/index.conf:2: [Index] \(key)=\(value): expected \(expected)")
        }
    }

    @Test("unknown keys and sections in files are warnings, not errors")
    func warnings() throws {
        try withScratchDirectory { dir in
            try dir.write("index.conf", "[Index]\nProt=7001\nport=7002\n[Peer]\nPort=7100\nAnything=1\n")
            try dir.write("index.conf.d/a.conf", "[Index]\nPort=7003\nColour=blue\n")
            let loaded = try IndexSettings.load(locations: dir.locations, environment: [:])
            #expect(loaded.settings.port == 7003)
            let main = dir.path + "/index.conf"
            let dropIn = dir.path + "/index.conf.d/a.conf"
            #expect(
                loaded.warnings == [
                    .unknownKey(path: main, line: 2, key: .init(section: "Index", name: "Prot"), suggestion: nil),
                    .unknownKey(
                        path: main, line: 3, key: .init(section: "Index", name: "port"),
                        suggestion: IndexSettings.Keys.port),
                    .unknownSection(path: main, line: 4, section: "Peer"),
                    .unknownKey(path: dropIn, line: 3, key: .init(section: "Index", name: "Colour"), suggestion: nil),
                ])
            #expect(loaded.warnings[0].description == "\(main):2: unknown key Prot in [Index], ignored")
            #expect(
                loaded.warnings[1].description == "\(main):3: unknown key port in [Index], ignored (did you mean Port?)"
            )
            #expect(loaded.warnings[2].description == "\(main):4: unknown section [Peer], ignored")
            #expect(loaded.files == [main, dropIn])
        }
    }

    @Test("an unknown flag override is an error, with a hint for a case slip")
    func unknownOverride() throws {
        try withScratchDirectory { dir in
            let typo = configurationError {
                try IndexSettings.load(locations: dir.locations, environment: [:], overrides: ["Index.Prot": "1"])
            }
            #expect(typo == .unknownOverride(.init(section: "Index", name: "Prot"), suggestion: nil))
            #expect(typo?.description == "command line: unknown setting Index.Prot")
            let caseSlip = configurationError {
                try IndexSettings.load(locations: dir.locations, environment: [:], overrides: ["index.port": "1"])
            }
            #expect(caseSlip?.description == "command line: unknown setting index.port (did you mean Index.Port?)")
            let peerKey = configurationError {
                try IndexSettings.load(locations: dir.locations, environment: [:], overrides: ["Peer.Port": "1"])
            }
            #expect(peerKey?.description == "command line: unknown setting Peer.Port")
            let malformed = configurationError {
                try IndexSettings.load(locations: dir.locations, environment: [:], overrides: ["Port": "1"])
            }
            #expect(malformed?.description == "command line: \"Port=1\": expected Section.Key=Value")
        }
    }

    @Test("--state-dir sets StateDirectory, made absolute; an explicit flag for the key wins")
    func stateDirectoryFlag() throws {
        try withScratchDirectory { dir in
            try dir.write("index.conf", "[Index]\nStateDirectory=/from/file\n")
            var locations = dir.locations
            locations.stateDirectory = dir.path + "/state"
            #expect(
                try IndexSettings.load(locations: locations, environment: [:]).settings.stateDirectory == dir.path
                    + "/state")

            locations.stateDirectory = "./scratch/index"
            let cwd = String(cString: getcwd(nil, 0))
            #expect(
                try IndexSettings.load(locations: locations, environment: [:]).settings.stateDirectory == cwd
                    + "/scratch/index")

            let explicit = try IndexSettings.load(
                locations: locations, environment: [:], overrides: ["Index.StateDirectory": "/explicit"])
            #expect(explicit.settings.stateDirectory == "/explicit")
        }
    }
}
