import P2PConfig
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `ClusterKeyFile=`: off by default, read at load time, and a bad file is a configuration error
/// naming the key, the path and the reason, never the key.
@Suite struct ClusterKeySettingTests {
    @Test func offByDefault() throws {
        try withScratchDirectory { dir in
            #expect(try IndexSettings.load(locations: dir.locations, environment: [:]).settings.clusterKey == nil)
            let peer = try PeerSettings.load(id: "peer1", locations: dir.locations, environment: [:]).settings
            #expect(peer.clusterKey == nil)
        }
    }

    @Test func indexAndPeerReadTheSameKey() throws {
        try withScratchDirectory { dir in
            try dir.write("cluster.key", String(repeating: "3c", count: 32) + "\n")
            chmod(dir.path + "/cluster.key", 0o640)
            try dir.write("index.conf", "[Index]\nClusterKeyFile=\(dir.path)/cluster.key\n")
            try dir.write("peer.conf", "[Peer]\nClusterKeyFile=\(dir.path)/cluster.key\n")
            let index = try IndexSettings.load(locations: dir.locations, environment: [:]).settings
            let peer = try PeerSettings.load(id: "peer1", locations: dir.locations, environment: [:]).settings
            #expect(index.clusterKey != nil)
            #expect(index.clusterKey == peer.clusterKey)
        }
    }

    @Test func unusableKeyFilesAreConfigurationErrors() throws {
        try withScratchDirectory { dir in
            try dir.write("short.key", String(repeating: "3c", count: 31))
            chmod(dir.path + "/short.key", 0o600)
            try dir.write("open.key", String(repeating: "3c", count: 32))
            chmod(dir.path + "/open.key", 0o604)
            let cases = [
                (
                    "short.key",
                    "the key is 62 hex digits (31 bytes); a cluster key needs at least 32 random bytes (64 hex digits)"
                ),
                (
                    "open.key",
                    "the key file is accessible to other users (mode 604); chmod 0640 (owner root, group p2p)"
                ),
                ("missing.key", "cannot read the key file: No such file or directory"),
            ]
            for (file, reason) in cases {
                let path = dir.path + "/" + file
                let error = configurationError {
                    try IndexSettings.load(
                        locations: dir.locations, environment: [:], overrides: ["Index.ClusterKeyFile": path])
                }
                #expect(error?.description == "command line: [Index] ClusterKeyFile=\(path): \(reason)")
                #expect(!(error?.description.contains("3c3c") ?? true))
            }
            let relative = configurationError {
                try PeerSettings.load(
                    id: "peer1", locations: dir.locations, environment: ["P2P_PEER_CLUSTER_KEY_FILE": "cluster.key"])
            }
            #expect(
                relative?.description.contains("expected an absolute path") == true, "\(String(describing: relative))")
        }
    }
}
