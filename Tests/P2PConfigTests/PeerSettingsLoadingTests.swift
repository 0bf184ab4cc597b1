import P2PConfig
import Testing

@Suite("Peer settings loading")
struct PeerSettingsLoadingTests {
    @Test("with no files, the built-in defaults apply, with paths and port derived from the id")
    func defaults() throws {
        try withScratchDirectory { dir in
            let loaded = try PeerSettings.load(id: "peer1", locations: dir.locations, environment: [:])
            let settings = loaded.settings
            #expect(settings == PeerSettings(id: "peer1", port: 7100))
            #expect(settings.listenAddress == "0.0.0.0")
            #expect(settings.basePort == 7100)
            #expect(settings.advertiseHost == "127.0.0.1")
            #expect(settings.stateDirectory == "/var/lib/p2p/peer1")
            #expect(settings.controlSocket == "/run/p2p/peer1.sock")
            #expect(settings.controlGroup == "p2p")
            #expect(settings.controlSocketMode == 0o660)
            #expect(settings.heartbeatIntervalSeconds == 10)
            #expect(settings.rescanIntervalSeconds == 60)
            #expect(settings.index == IndexEndpoint(host: "127.0.0.1", port: 7000))
            #expect(
                settings.transfer
                    == TransferSettings(
                        rateLimitBytesPerSecond: 0, peerRateLimitBytesPerSecond: 0, chunkSize: 1_048_576,
                        fsync: true, readTimeoutSeconds: 30, maxUploads: 64, maxFrameBytes: 65536))
            #expect(!settings.transfer.isRateLimited)
            #expect(!settings.transfer.isPeerRateLimited)
            #expect(settings.replication.enabled)
            #expect(settings.sharedDirectory == "/var/lib/p2p/peer1/shared")
            #expect(settings.downloadedDirectory == "/var/lib/p2p/peer1/downloaded")
            #expect(settings.replicatedDirectory == "/var/lib/p2p/peer1/replicated")
            #expect(loaded.warnings.isEmpty && loaded.files.isEmpty)
        }
    }

    @Test(
        "the port is BasePort + N − 1 for the id's trailing number N",
        arguments: [("peer1", 7100), ("peer2", 7101), ("peer10", 7109), ("node007", 7106), ("42", 7141)])
    func derivedPort(id: String, port: Int) throws {
        try withScratchDirectory { dir in
            let loaded = try PeerSettings.load(id: id, locations: dir.locations, environment: [:])
            #expect(loaded.settings.port == port)
        }
    }

    @Test("a configured BasePort moves the derived port; a configured Port wins over both")
    func basePortAndPort() throws {
        try withScratchDirectory { dir in
            try dir.write("peer.conf", "[Peer]\nBasePort=8000\n")
            #expect(
                try PeerSettings.load(id: "peer3", locations: dir.locations, environment: [:]).settings.port == 8002)
            try dir.write("peers/peer3.conf", "[Peer]\nPort=9000\n")
            #expect(
                try PeerSettings.load(id: "peer3", locations: dir.locations, environment: [:]).settings.port == 9000)
        }
    }

    @Test("an id without a trailing number and no Port is a clear error; with a Port it is fine")
    func portNotDerivable() throws {
        try withScratchDirectory { dir in
            let error = configurationError {
                try PeerSettings.load(id: "alpha", locations: dir.locations, environment: [:])
            }
            #expect(
                error?.description
                    == "peer alpha: no [Peer] Port configured and the id has no trailing number to add to BasePort 7100; set [Peer] Port"
            )
            let tooBig = configurationError {
                try PeerSettings.load(id: "peer60000", locations: dir.locations, environment: [:])
            }
            #expect(
                tooBig?.description
                    == "peer peer60000: no [Peer] Port configured and BasePort 7100 + 60000 − 1 is not a port 1–65535; set [Peer] Port"
            )
            try dir.write("peers/alpha.conf", "[Peer]\nPort=7200\n")
            #expect(
                try PeerSettings.load(id: "alpha", locations: dir.locations, environment: [:]).settings.port == 7200)
            #expect(
                try PeerSettings.load(id: "alpha", locations: dir.locations, environment: ["P2P_PEER_PORT": "7300"])
                    .settings.port == 7300)
        }
    }

    @Test("an invalid peer id is refused before any file is read")
    func invalidID() throws {
        try withScratchDirectory { dir in
            let error = configurationError {
                try PeerSettings.load(id: "../etc", locations: dir.locations, environment: [:])
            }
            #expect(error == .invalidPeerID("../etc"))
            #expect(
                error?.description
                    == "invalid peer id \"../etc\": expected 1–64 characters from A–Z a–z 0–9 _ . -, not starting with . or -"
            )
        }
    }

    /// Six layers, bottom-up, each setting `HeartbeatIntervalSec` to its own number; the top one
    /// present wins, and a key set only in the bottom layer shows through.
    @Test("each layer overrides the one below", arguments: 1...6)
    func layering(layers: Int) throws {
        try withScratchDirectory { dir in
            try dir.write("peer.conf", "[Peer]\nHeartbeatIntervalSec=1\nRescanIntervalSec=99\n")
            if layers >= 2 { try dir.write("peer.conf.d/a.conf", "[Peer]\nHeartbeatIntervalSec=2\n") }
            if layers >= 3 { try dir.write("peers/peer1.conf", "[Peer]\nHeartbeatIntervalSec=3\n") }
            if layers >= 4 { try dir.write("peers/peer1.conf.d/a.conf", "[Peer]\nHeartbeatIntervalSec=4\n") }
            let environment = layers >= 5 ? ["P2P_PEER_HEARTBEAT_INTERVAL_SEC": "5"] : [:]
            let overrides = layers >= 6 ? ["Peer.HeartbeatIntervalSec": "6"] : [:]
            let loaded = try PeerSettings.load(
                id: "peer1", locations: dir.locations, environment: environment, overrides: overrides)
            #expect(loaded.settings.heartbeatIntervalSeconds == layers)
            #expect(loaded.settings.rescanIntervalSeconds == 99)
        }
    }

    @Test("the file order is peer.conf, its drop-ins, peers/<id>.conf, its drop-ins; other peers' files are not read")
    func fileOrder() throws {
        try withScratchDirectory { dir in
            try dir.write("peers/peer1.conf.d/b.conf", "[Transfer]\nMaxUploads=4\n")
            try dir.write("peers/peer1.conf", "[Transfer]\nMaxUploads=3\n")
            try dir.write("peer.conf.d/a.conf", "[Transfer]\nMaxUploads=2\n")
            try dir.write("peer.conf", "[Transfer]\nMaxUploads=1\n")
            try dir.write("peers/peer2.conf", "[Transfer]\nMaxUploads=99\n")
            let loaded = try PeerSettings.load(id: "peer1", locations: dir.locations, environment: [:])
            #expect(
                loaded.files == [
                    dir.path + "/peer.conf", dir.path + "/peer.conf.d/a.conf", dir.path + "/peers/peer1.conf",
                    dir.path + "/peers/peer1.conf.d/b.conf",
                ])
            #expect(loaded.settings.transfer.maxUploads == 4)
        }
    }

    @Test("every key is read, in every section")
    func everyKeyFromFile() throws {
        try withScratchDirectory { dir in
            try dir.write(
                "peer.conf",
                """
                [Peer]
                ListenAddress=127.0.0.1
                Port=7300
                BasePort=8000
                AdvertiseHost=peer.example.org
                StateDirectory=/srv/p2p/%i
                ControlSocket=/run/user/1000/p2p-%i.sock
                ControlGroup=wheel
                ControlSocketMode=0600
                HeartbeatIntervalSec=5
                RescanIntervalSec=300

                [Index]
                Host=index.example.org
                Port=7001

                [Transfer]
                RateLimit=512K
                PeerRateLimit=2M
                ChunkSize=64K
                Fsync=no
                ReadTimeoutSec=10
                MaxUploads=8
                MaxUploadsPerClient=2
                MaxFrameBytes=32K

                [Replication]
                Enabled=off
                """)
            let settings = try PeerSettings.load(id: "peer2", locations: dir.locations, environment: [:]).settings
            #expect(
                settings
                    == PeerSettings(
                        id: "peer2", port: 7300, listenAddress: "127.0.0.1", basePort: 8000,
                        advertiseHost: "peer.example.org", stateDirectory: "/srv/p2p/peer2",
                        controlSocket: "/run/user/1000/p2p-peer2.sock", controlGroup: "wheel", controlSocketMode: 0o600,
                        heartbeatIntervalSeconds: 5, rescanIntervalSeconds: 300,
                        index: IndexEndpoint(host: "index.example.org", port: 7001),
                        transfer: TransferSettings(
                            rateLimitBytesPerSecond: 524_288, peerRateLimitBytesPerSecond: 2_097_152, chunkSize: 65536,
                            fsync: false, readTimeoutSeconds: 10,
                            maxUploads: 8, maxUploadsPerClient: 2, maxFrameBytes: 32768),
                        replication: ReplicationSettings(enabled: false)))
        }
    }

    @Test("environment variables reach every section")
    func environmentMapping() throws {
        try withScratchDirectory { dir in
            let environment = [
                "P2P_PEER_ADVERTISE_HOST": "10.0.0.5",
                "P2P_PEER_CONTROL_SOCKET_MODE": "0640",
                "P2P_INDEX_HOST": "10.0.0.1",
                "P2P_INDEX_PORT": "7005",
                "P2P_TRANSFER_RATE_LIMIT": "1M",
                "P2P_TRANSFER_PEER_RATE_LIMIT": "3M",
                "P2P_TRANSFER_FSYNC": "false",
                "P2P_TRANSFER_MAX_FRAME_BYTES": "128K",
                "P2P_REPLICATION_ENABLED": "no",
                "P2P_INDEX_HEARTBEAT_TTL_SEC": "not a peer key, ignored",
            ]
            let settings = try PeerSettings.load(id: "peer1", locations: dir.locations, environment: environment)
                .settings
            #expect(settings.advertiseHost == "10.0.0.5")
            #expect(settings.controlSocketMode == 0o640)
            #expect(settings.index == IndexEndpoint(host: "10.0.0.1", port: 7005))
            #expect(settings.transfer.rateLimitBytesPerSecond == 1_048_576)
            #expect(settings.transfer.isRateLimited)
            #expect(settings.transfer.peerRateLimitBytesPerSecond == 3 << 20)
            #expect(settings.transfer.isPeerRateLimited)
            #expect(!settings.transfer.fsync)
            #expect(settings.transfer.maxFrameBytes == 131_072)
            #expect(!settings.replication.enabled)
        }
    }

    @Test("flag overrides reach every section")
    func flagOverrides() throws {
        try withScratchDirectory { dir in
            try dir.write("peers/peer1.conf", "[Transfer]\nRateLimit=1M\n")
            let overrides = try CommandLineOverrides.parse([
                "Transfer.RateLimit=0", "Index.Host=index.local", "Replication.Enabled=no", "Peer.Port = 7555",
            ])
            let settings = try PeerSettings.load(
                id: "peer1", locations: dir.locations, environment: ["P2P_TRANSFER_RATE_LIMIT": "2M"],
                overrides: overrides
            ).settings
            #expect(settings.transfer.rateLimitBytesPerSecond == 0)
            #expect(settings.index.host == "index.local")
            #expect(!settings.replication.enabled)
            #expect(settings.port == 7555)
        }
    }

    @Test("with --state-dir and no ControlSocket, the socket lives in the state folder")
    func scratchRunSocket() throws {
        try withScratchDirectory { dir in
            let locations = ConfigLocations(configDirectory: dir.path, stateDirectory: dir.path + "/state/peer2")
            let settings = try PeerSettings.load(id: "peer2", locations: locations, environment: [:]).settings
            #expect(settings.stateDirectory == dir.path + "/state/peer2")
            #expect(settings.controlSocket == dir.path + "/state/peer2/control.sock")
            #expect(settings.sharedDirectory == dir.path + "/state/peer2/shared")

            try dir.write("peer.conf", "[Peer]\nControlSocket=/run/p2p/%i.sock\n")
            let configured = try PeerSettings.load(id: "peer2", locations: locations, environment: [:]).settings
            #expect(configured.controlSocket == "/run/p2p/peer2.sock")
        }
    }

    @Test("a --state-dir too deep for a socket address is an error, unless ControlSocket is set")
    func scratchRunSocketTooLong() throws {
        try withScratchDirectory { dir in
            let deep = dir.path + "/" + String(repeating: "d", count: 100)
            let locations = ConfigLocations(configDirectory: dir.path, stateDirectory: deep)
            let error = configurationError {
                try PeerSettings.load(id: "peer1", locations: locations, environment: [:])
            }
            #expect(
                error?.description
                    == "command line: [Peer] ControlSocket=\(deep)/control.sock: expected an absolute path of at most 107 bytes (derived from --state-dir; set [Peer] ControlSocket)"
            )
            let overrides = ["Peer.ControlSocket": dir.path + "/c.sock"]
            let settings = try PeerSettings.load(
                id: "peer1", locations: locations, environment: [:], overrides: overrides
            ).settings
            #expect(settings.controlSocket == dir.path + "/c.sock")
            #expect(settings.stateDirectory == deep)
        }
    }

    @Test("without --state-dir, a StateDirectory from a file does not move the control socket")
    func stateDirectoryFromFile() throws {
        try withScratchDirectory { dir in
            try dir.write("peer.conf", "[Peer]\nStateDirectory=/srv/p2p/%i\n")
            let settings = try PeerSettings.load(id: "peer1", locations: dir.locations, environment: [:]).settings
            #expect(settings.stateDirectory == "/srv/p2p/peer1")
            #expect(settings.controlSocket == "/run/p2p/peer1.sock")
        }
    }

    @Test("%% is a literal percent sign in paths")
    func percentEscape() throws {
        try withScratchDirectory { dir in
            try dir.write("peer.conf", "[Peer]\nStateDirectory=/srv/100%%/%i\n")
            let settings = try PeerSettings.load(id: "peer1", locations: dir.locations, environment: [:]).settings
            #expect(settings.stateDirectory == "/srv/100%/peer1")
        }
    }

    @Test(
        "each peer value kind explains what it expected",
        arguments: [
            ("Peer", "ListenAddress", "*", "an IPv4 or IPv6 address (e.g. 0.0.0.0 or ::)"),
            ("Peer", "Port", "65536", "an integer 0–65535 (0 picks a free port)"),
            ("Peer", "BasePort", "x", "an integer 1–65535"),
            ("Peer", "AdvertiseHost", "my host", "a host name or IP address"),
            ("Peer", "StateDirectory", "/srv/%x", "an absolute path; %i = peer id"),
            ("Peer", "StateDirectory", "shared", "an absolute path; %i = peer id"),
            (
                "Peer", "ControlSocket", "/" + String(repeating: "s", count: 107),
                "an absolute path of at most 107 bytes; %i = peer id"
            ),
            ("Peer", "ControlGroup", "p2p users", "a group name or numeric GID"),
            ("Peer", "ControlSocketMode", "0888", "an octal mode 0000–0777 (e.g. 0660)"),
            ("Peer", "ControlSocketMode", "1777", "an octal mode 0000–0777 (e.g. 0660)"),
            ("Peer", "HeartbeatIntervalSec", "0", "a whole number of seconds ≥ 1"),
            ("Peer", "RescanIntervalSec", "1m", "a whole number of seconds ≥ 1"),
            ("Index", "Host", "", "unused"),
            ("Index", "Port", "-5", "an integer 1–65535"),
            ("Transfer", "RateLimit", "10MB", "a byte count ≥ 0 (suffix K, M or G = 1024-based)"),
            ("Transfer", "RateLimit", "-1", "a byte count ≥ 0 (suffix K, M or G = 1024-based)"),
            ("Transfer", "PeerRateLimit", "1 MiB", "a byte count ≥ 0 (suffix K, M or G = 1024-based)"),
            ("Transfer", "PeerRateLimit", "-1", "a byte count ≥ 0 (suffix K, M or G = 1024-based)"),
            ("Transfer", "ChunkSize", "128M", "a byte count 1–64M (suffix K, M or G = 1024-based)"),
            ("Transfer", "Fsync", "maybe", "a boolean (yes/no, true/false, on/off, 1/0)"),
            ("Transfer", "ReadTimeoutSec", "", "unused"),
            ("Transfer", "MaxUploads", "0", "an integer ≥ 1"),
            ("Transfer", "MaxUploadsPerClient", "none", "an integer ≥ 1"),
            ("Transfer", "MaxFrameBytes", "100", "a byte count ≥ 4K (suffix K, M or G = 1024-based)"),
            ("Replication", "Enabled", "2", "a boolean (yes/no, true/false, on/off, 1/0)"),
        ])
    func expectations(section: String, key: String, value: String, expected: String) throws {
        try withScratchDirectory { dir in
            try dir.write("peers/peer1.conf", "[\(section)]\n\(key)=\(value)\n")
            let error = configurationError {
                try PeerSettings.load(id: "peer1", locations: dir.locations, environment: [:])
            }
            if value.isEmpty {
                #expect(error == nil, "an empty value resets to the default")
            } else {
                #expect(
                    error?.description
                        == "\(dir.path)/peers/peer1.conf:2: [\(section)] \(key)=\(value): expected \(expected)")
            }
        }
    }

    @Test("unknown keys in a peer's own file are warnings")
    func warnings() throws {
        try withScratchDirectory { dir in
            try dir.write("peers/peer1.conf", "[Transfer]\nRatelimit=1M\n[Index]\nHeartbeatTTLSec=5\n")
            let loaded = try PeerSettings.load(id: "peer1", locations: dir.locations, environment: [:])
            let path = dir.path + "/peers/peer1.conf"
            #expect(
                loaded.warnings.map(\.description) == [
                    "\(path):2: unknown key Ratelimit in [Transfer], ignored (did you mean RateLimit?)",
                    "\(path):4: unknown key HeartbeatTTLSec in [Index], ignored",
                ])
            #expect(loaded.settings.transfer.rateLimitBytesPerSecond == 0)
        }
    }
}
