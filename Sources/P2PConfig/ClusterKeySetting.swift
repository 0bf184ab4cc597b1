import P2PCluster

extension SettingsResolver {
    /// The cluster key named by `key` (`ClusterKeyFile=`), read now, or nil when none is set.
    ///
    /// Read at load time so a missing, short or world-readable key file stops the daemon at
    /// start with exit status 78, like any other bad setting, instead of failing handshakes later.
    /// The setting holds a path, never the key: the main config is world-readable.
    func clusterKey(_ key: SettingKey, instance: String?) throws(ConfigurationError) -> ClusterKey? {
        guard let path = try value(key, .absolutePath(instance: instance)) else { return nil }
        do {
            return try ClusterKey.load(path: path)
        } catch {
            throw .badClusterKey(source: lookup(key)?.source ?? .commandLine, key: key, path: path, reason: "\(error)")
        }
    }
}
