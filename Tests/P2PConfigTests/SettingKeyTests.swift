import P2PConfig
import Testing

@Suite("Setting keys and environment names")
struct SettingKeyTests {
    @Test("environment variable names of every index key")
    func indexEnvironmentNames() {
        #expect(
            IndexSettings.Keys.all.map(\.environmentVariable) == [
                "P2P_INDEX_LISTEN_ADDRESS", "P2P_INDEX_PORT", "P2P_INDEX_HEARTBEAT_TTL_SEC",
                "P2P_INDEX_SEED_PEER_LIFETIME_SEC", "P2P_INDEX_REPLICATION_FACTOR", "P2P_INDEX_MAX_FRAME_BYTES",
                "P2P_INDEX_MAX_REGISTRY_FRAME_BYTES", "P2P_INDEX_READ_TIMEOUT_SEC", "P2P_INDEX_MAX_CONNECTIONS",
                "P2P_INDEX_MAX_CONNECTIONS_PER_CLIENT", "P2P_INDEX_MAX_SEARCH_RESULTS",
                "P2P_INDEX_TRUST_ADVERTISED_ADDRESSES", "P2P_INDEX_STATE_DIRECTORY", "P2P_INDEX_CLUSTER_KEY_FILE",
            ])
    }

    @Test("environment variable names of every peer key")
    func peerEnvironmentNames() {
        #expect(
            PeerSettings.Keys.all.map(\.environmentVariable) == [
                "P2P_PEER_LISTEN_ADDRESS", "P2P_PEER_PORT", "P2P_PEER_BASE_PORT", "P2P_PEER_ADVERTISE_HOST",
                "P2P_PEER_STATE_DIRECTORY", "P2P_PEER_CONTROL_SOCKET", "P2P_PEER_CONTROL_GROUP",
                "P2P_PEER_CONTROL_SOCKET_MODE", "P2P_PEER_HEARTBEAT_INTERVAL_SEC", "P2P_PEER_RESCAN_INTERVAL_SEC",
                "P2P_PEER_CLUSTER_KEY_FILE",
                "P2P_INDEX_HOST", "P2P_INDEX_PORT", "P2P_TRANSFER_RATE_LIMIT", "P2P_TRANSFER_PEER_RATE_LIMIT",
                "P2P_TRANSFER_CHUNK_SIZE", "P2P_TRANSFER_FSYNC", "P2P_TRANSFER_READ_TIMEOUT_SEC",
                "P2P_TRANSFER_MAX_UPLOADS",
                "P2P_TRANSFER_MAX_UPLOADS_PER_CLIENT", "P2P_TRANSFER_MAX_FRAME_BYTES", "P2P_REPLICATION_ENABLED",
            ])
    }

    @Test("keys and environment names are unique within each program")
    func unique() {
        for keys in [IndexSettings.Keys.all, PeerSettings.Keys.all] {
            #expect(Set(keys).count == keys.count)
            #expect(Set(keys.map(\.environmentVariable)).count == keys.count)
        }
    }

    @Test("Section.Key parses at the first dot")
    func dotted() {
        #expect(SettingKey(dotted: "Peer.Port") == SettingKey(section: "Peer", name: "Port"))
        #expect(SettingKey(dotted: "Peer.Port")?.description == "Peer.Port")
        #expect(SettingKey(dotted: "Peer") == nil)
        #expect(SettingKey(dotted: ".Port") == nil)
        #expect(SettingKey(dotted: "Peer.") == nil)
    }
}
