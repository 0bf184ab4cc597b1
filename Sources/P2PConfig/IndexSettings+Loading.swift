extension IndexSettings {
    /// The keys of `index.conf`, one constant each so code and the known-key list cannot differ.
    public enum Keys {
        static func index(_ name: String) -> SettingKey { SettingKey(section: "Index", name: name) }
        /// `[Index] ListenAddress`
        public static let listenAddress = index("ListenAddress")
        /// `[Index] Port`
        public static let port = index("Port")
        /// `[Index] HeartbeatTTLSec`
        public static let heartbeatTTL = index("HeartbeatTTLSec")
        /// `[Index] SeedPeerLifetimeSec`
        public static let seedPeerLifetime = index("SeedPeerLifetimeSec")
        /// `[Index] ReplicationFactor`
        public static let replicationFactor = index("ReplicationFactor")
        /// `[Index] MaxFrameBytes`
        public static let maxFrameBytes = index("MaxFrameBytes")
        /// `[Index] MaxRegistryFrameBytes`
        public static let maxRegistryFrameBytes = index("MaxRegistryFrameBytes")
        /// `[Index] ReadTimeoutSec`
        public static let readTimeout = index("ReadTimeoutSec")
        /// `[Index] MaxConnections`
        public static let maxConnections = index("MaxConnections")
        /// `[Index] MaxConnectionsPerClient`
        public static let maxConnectionsPerClient = index("MaxConnectionsPerClient")
        /// `[Index] MaxSearchResults`
        public static let maxSearchResults = index("MaxSearchResults")
        /// `[Index] TrustAdvertisedAddresses`
        public static let trustAdvertisedAddresses = index("TrustAdvertisedAddresses")
        /// `[Index] StateDirectory`
        public static let stateDirectory = index("StateDirectory")
        /// `[Index] ClusterKeyFile`
        public static let clusterKeyFile = index("ClusterKeyFile")

        /// Every key the index daemon reads, in the order of the shipped `index.conf`.
        public static let all: [SettingKey] = [
            listenAddress, port, heartbeatTTL, seedPeerLifetime, replicationFactor, maxFrameBytes,
            maxRegistryFrameBytes, readTimeout, maxConnections, maxConnectionsPerClient, maxSearchResults,
            trustAdvertisedAddresses, stateDirectory, clusterKeyFile,
        ]
    }

    /// Loads the index daemon's settings.
    ///
    /// Layers, lowest first: built-in defaults < `index.conf` < `index.conf.d/*.conf` <
    /// environment (`P2P_INDEX_…`, see ``SettingKey/environmentVariable``) < `overrides`
    /// (`["Index.Port": "7001"]`, from flags) < `locations.stateDirectory` (`--state-dir`, unless
    /// an override sets `Index.StateDirectory` itself).
    ///
    /// - Parameters:
    ///   - locations: where the files are; the installed layout by default.
    ///   - environment: the process environment (pass `ProcessInfo.processInfo.environment`);
    ///     injected so tests never see the real one.
    ///   - overrides: flag overrides keyed `Section.Key`; see ``CommandLineOverrides``.
    /// - Returns: the settings, warnings for ignored keys, and the files read.
    /// - Throws: ``ConfigurationError`` naming file/line, variable or flag, key and expectation.
    public static func load(
        locations: ConfigLocations = ConfigLocations(),
        environment: [String: String],
        overrides: [String: String] = [:]
    ) throws(ConfigurationError) -> LoadedSettings<IndexSettings> {
        var overrides = overrides
        if let stateDirectory = locations.absoluteStateDirectory, overrides[Keys.stateDirectory.description] == nil {
            overrides[Keys.stateDirectory.description] = stateDirectory
        }
        let layers = try SettingsResolver(
            configFiles: [locations.indexConfigFile],
            knownKeys: Keys.all,
            environment: environment,
            overrides: overrides
        )
        let defaults = IndexSettings()
        let settings = IndexSettings(
            listenAddress: try layers.value(Keys.listenAddress, .listenAddress, default: defaults.listenAddress),
            port: try layers.value(Keys.port, .listenPort, default: defaults.port),
            heartbeatTTLSeconds: try layers.value(Keys.heartbeatTTL, .seconds, default: defaults.heartbeatTTLSeconds),
            seedPeerLifetimeSeconds: try layers.value(
                Keys.seedPeerLifetime, .seconds, default: defaults.seedPeerLifetimeSeconds),
            replicationFactor: try layers.value(
                Keys.replicationFactor, .integer(atLeast: 1), default: defaults.replicationFactor),
            maxFrameBytes: try layers.value(
                Keys.maxFrameBytes, .byteCount(in: 4096...Int.max), default: defaults.maxFrameBytes),
            maxRegistryFrameBytes: try layers.value(
                Keys.maxRegistryFrameBytes, .byteCount(in: 4096...Int.max), default: defaults.maxRegistryFrameBytes),
            readTimeoutSeconds: try layers.value(Keys.readTimeout, .seconds, default: defaults.readTimeoutSeconds),
            maxConnections: try layers.value(
                Keys.maxConnections, .integer(atLeast: 1), default: defaults.maxConnections),
            maxConnectionsPerClient: try layers.value(
                Keys.maxConnectionsPerClient, .integer(atLeast: 1), default: defaults.maxConnectionsPerClient),
            maxSearchResults: try layers.value(
                Keys.maxSearchResults, .integer(atLeast: 1), default: defaults.maxSearchResults),
            trustAdvertisedAddresses: try layers.value(
                Keys.trustAdvertisedAddresses, .boolean, default: defaults.trustAdvertisedAddresses),
            stateDirectory: try layers.value(
                Keys.stateDirectory, .absolutePath(instance: nil), default: defaults.stateDirectory),
            clusterKey: try layers.clusterKey(Keys.clusterKeyFile, instance: nil)
        )
        return LoadedSettings(settings: settings, warnings: layers.warnings, files: layers.files)
    }
}
