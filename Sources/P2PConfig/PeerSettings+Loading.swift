extension PeerSettings {
    /// The keys of `peer.conf` and `peers/<id>.conf`, one constant each so code and the known-key
    /// list cannot differ.
    public enum Keys {
        static func peer(_ name: String) -> SettingKey { SettingKey(section: "Peer", name: name) }
        static func index(_ name: String) -> SettingKey { SettingKey(section: "Index", name: name) }
        static func transfer(_ name: String) -> SettingKey { SettingKey(section: "Transfer", name: name) }
        /// `[Peer] ListenAddress`
        public static let listenAddress = peer("ListenAddress")
        /// `[Peer] Port`
        public static let port = peer("Port")
        /// `[Peer] BasePort`
        public static let basePort = peer("BasePort")
        /// `[Peer] AdvertiseHost`
        public static let advertiseHost = peer("AdvertiseHost")
        /// `[Peer] StateDirectory`
        public static let stateDirectory = peer("StateDirectory")
        /// `[Peer] ControlSocket`
        public static let controlSocket = peer("ControlSocket")
        /// `[Peer] ControlGroup`
        public static let controlGroup = peer("ControlGroup")
        /// `[Peer] ControlSocketMode`
        public static let controlSocketMode = peer("ControlSocketMode")
        /// `[Peer] HeartbeatIntervalSec`
        public static let heartbeatInterval = peer("HeartbeatIntervalSec")
        /// `[Peer] RescanIntervalSec`
        public static let rescanInterval = peer("RescanIntervalSec")
        /// `[Peer] ClusterKeyFile`
        public static let clusterKeyFile = peer("ClusterKeyFile")
        /// `[Index] Host`
        public static let indexHost = index("Host")
        /// `[Index] Port`
        public static let indexPort = index("Port")
        /// `[Transfer] RateLimit`
        public static let rateLimit = transfer("RateLimit")
        /// `[Transfer] PeerRateLimit`
        public static let peerRateLimit = transfer("PeerRateLimit")
        /// `[Transfer] ChunkSize`
        public static let chunkSize = transfer("ChunkSize")
        /// `[Transfer] Fsync`
        public static let fsync = transfer("Fsync")
        /// `[Transfer] ReadTimeoutSec`
        public static let readTimeout = transfer("ReadTimeoutSec")
        /// `[Transfer] MaxUploads`
        public static let maxUploads = transfer("MaxUploads")
        /// `[Transfer] MaxUploadsPerClient`
        public static let maxUploadsPerClient = transfer("MaxUploadsPerClient")
        /// `[Transfer] MaxFrameBytes`
        public static let maxFrameBytes = transfer("MaxFrameBytes")
        /// `[Replication] Enabled`
        public static let replicationEnabled = SettingKey(section: "Replication", name: "Enabled")

        /// Every key a peer daemon reads, in the order of the shipped `peer.conf`.
        public static let all: [SettingKey] = [
            listenAddress, port, basePort, advertiseHost, stateDirectory, controlSocket, controlGroup,
            controlSocketMode, heartbeatInterval, rescanInterval, clusterKeyFile, indexHost, indexPort, rateLimit,
            peerRateLimit, chunkSize, fsync, readTimeout, maxUploads, maxUploadsPerClient, maxFrameBytes,
            replicationEnabled,
        ]
    }

    /// Loads the settings of peer `id`.
    ///
    /// Layers, lowest first: built-in defaults < `peer.conf` < `peer.conf.d/*.conf` <
    /// `peers/<id>.conf` < `peers/<id>.conf.d/*.conf` < environment (`P2P_PEER_…`,
    /// `P2P_INDEX_HOST`, `P2P_TRANSFER_…`, see ``SettingKey/environmentVariable``) < `overrides`
    /// (`["Peer.Port": "7200"]`, from flags) < `locations.stateDirectory` (`--state-dir`, unless an
    /// override sets `Peer.StateDirectory` itself).
    ///
    /// Derived defaults: `Port` = BasePort + N − 1 for the id's trailing number N;
    /// `StateDirectory` = `/var/lib/p2p/<id>`; `ControlSocket` = `/run/p2p/<id>.sock`, or
    /// `<state dir>/control.sock` when `locations.stateDirectory` is given.
    ///
    /// - Parameters:
    ///   - id: the peer id; validated first, since it becomes part of file names.
    ///   - locations: where the files are; the installed layout by default.
    ///   - environment: the process environment (pass `ProcessInfo.processInfo.environment`);
    ///     injected so tests never see the real one.
    ///   - overrides: flag overrides keyed `Section.Key`; see ``CommandLineOverrides``.
    /// - Returns: the settings, warnings for ignored keys, and the files read.
    /// - Throws: ``ConfigurationError`` naming file/line, variable or flag, key and expectation.
    public static func load(
        id: String,
        locations: ConfigLocations = ConfigLocations(),
        environment: [String: String],
        overrides: [String: String] = [:]
    ) throws(ConfigurationError) -> LoadedSettings<PeerSettings> {
        try PeerID.validate(id)
        var overrides = overrides
        let scratchState = locations.absoluteStateDirectory
        if let scratchState, overrides[Keys.stateDirectory.description] == nil {
            overrides[Keys.stateDirectory.description] = scratchState
        }
        let layers = try SettingsResolver(
            configFiles: [locations.peerConfigFile, locations.peerInstanceConfigFile(id: id)],
            knownKeys: Keys.all,
            environment: environment,
            overrides: overrides
        )
        let defaults = PeerSettings(id: id, port: 0)
        let basePort = try layers.value(Keys.basePort, .port, default: defaults.basePort)
        let port: Int
        if let configured = try layers.value(Keys.port, .listenPort) {
            port = configured
        } else {
            port = try PeerID.derivedPort(id: id, basePort: basePort)
        }
        let stateDirectory = try layers.value(
            Keys.stateDirectory, .absolutePath(instance: id), default: defaults.stateDirectory)
        let controlSocket: String
        if let configured = try layers.value(Keys.controlSocket, .socketPath(instance: id)) {
            controlSocket = configured
        } else {
            controlSocket = try defaultControlSocket(
                stateDirectory: scratchState == nil ? nil : stateDirectory, fallback: defaults.controlSocket)
        }
        let settings = PeerSettings(
            id: id,
            port: port,
            listenAddress: try layers.value(Keys.listenAddress, .listenAddress, default: defaults.listenAddress),
            basePort: basePort,
            advertiseHost: try layers.value(Keys.advertiseHost, .host, default: defaults.advertiseHost),
            stateDirectory: stateDirectory,
            controlSocket: controlSocket,
            controlGroup: try layers.value(Keys.controlGroup, .groupName, default: defaults.controlGroup),
            controlSocketMode: try layers.value(
                Keys.controlSocketMode, .fileMode, default: defaults.controlSocketMode),
            heartbeatIntervalSeconds: try layers.value(
                Keys.heartbeatInterval, .seconds, default: defaults.heartbeatIntervalSeconds),
            rescanIntervalSeconds: try layers.value(
                Keys.rescanInterval, .seconds, default: defaults.rescanIntervalSeconds),
            index: IndexEndpoint(
                host: try layers.value(Keys.indexHost, .host, default: defaults.index.host),
                port: try layers.value(Keys.indexPort, .port, default: defaults.index.port)
            ),
            transfer: try loadTransfer(layers, defaults: defaults.transfer),
            replication: ReplicationSettings(
                enabled: try layers.value(Keys.replicationEnabled, .boolean, default: defaults.replication.enabled)
            ),
            clusterKey: try layers.clusterKey(Keys.clusterKeyFile, instance: id)
        )
        return LoadedSettings(settings: settings, warnings: layers.warnings, files: layers.files)
    }

    /// The control socket when none is configured: `<state dir>/control.sock` for a run with
    /// `--state-dir`, else `fallback` (`/run/p2p/<id>.sock`). A state folder too deep for a socket
    /// address is reported now, rather than as a bind failure later.
    private static func defaultControlSocket(
        stateDirectory: String?, fallback: String
    ) throws(ConfigurationError) -> String {
        guard let stateDirectory else { return fallback }
        let path = stateDirectory + "/control.sock"
        let kind = ValueKind<String>.socketPath(instance: nil)
        guard kind.parse(path) != nil else {
            throw .invalidValue(
                source: .commandLine, key: Keys.controlSocket, value: path,
                expected: "\(kind.expected) (derived from --state-dir; set [Peer] ControlSocket)")
        }
        return path
    }

    /// Reads `[Transfer]`.
    private static func loadTransfer(
        _ layers: SettingsResolver, defaults: TransferSettings
    ) throws(ConfigurationError) -> TransferSettings {
        TransferSettings(
            rateLimitBytesPerSecond: try layers.value(
                Keys.rateLimit, .byteCount(in: 0...Int.max), default: defaults.rateLimitBytesPerSecond),
            peerRateLimitBytesPerSecond: try layers.value(
                Keys.peerRateLimit, .byteCount(in: 0...Int.max), default: defaults.peerRateLimitBytesPerSecond),
            chunkSize: try layers.value(Keys.chunkSize, .byteCount(in: 1...(64 << 20)), default: defaults.chunkSize),
            fsync: try layers.value(Keys.fsync, .boolean, default: defaults.fsync),
            readTimeoutSeconds: try layers.value(Keys.readTimeout, .seconds, default: defaults.readTimeoutSeconds),
            maxUploads: try layers.value(Keys.maxUploads, .integer(atLeast: 1), default: defaults.maxUploads),
            maxUploadsPerClient: try layers.value(
                Keys.maxUploadsPerClient, .integer(atLeast: 1), default: defaults.maxUploadsPerClient),
            maxFrameBytes: try layers.value(
                Keys.maxFrameBytes, .byteCount(in: 4096...Int.max), default: defaults.maxFrameBytes)
        )
    }
}
