#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where the config files are, and an optional state folder given on the command line.
///
/// The defaults are the installed layout (`/etc/p2p`). A normal user runs everything from a
/// scratch folder with `--config-dir DIR` and `--state-dir DIR`; with a state folder given, the
/// peer's control socket (unless configured) moves into it as `control.sock`, because `/run/p2p`
/// belongs to the `p2p` user and a scratch run cannot write there.
public struct ConfigLocations: Sendable, Equatable {
    /// The installed config folder.
    public static let defaultConfigDirectory = "/etc/p2p"

    /// The folder holding `index.conf`, `peer.conf` and `peers/`.
    public var configDirectory: String
    /// The daemon's own state folder from `--state-dir`; overrides `StateDirectory=` like a flag.
    /// A relative path is taken relative to the current directory.
    public var stateDirectory: String?

    /// Creates a set of locations; with no arguments, the installed layout.
    public init(configDirectory: String = ConfigLocations.defaultConfigDirectory, stateDirectory: String? = nil) {
        self.configDirectory = configDirectory
        self.stateDirectory = stateDirectory
    }

    /// `<config dir>/index.conf`, the index daemon's file.
    public var indexConfigFile: String { join(configDirectory, "index.conf") }

    /// `<config dir>/peer.conf`, the defaults every peer reads.
    public var peerConfigFile: String { join(configDirectory, "peer.conf") }

    /// `<config dir>/peers/<id>.conf`, the settings of one peer.
    public func peerInstanceConfigFile(id: String) -> String {
        join(join(configDirectory, "peers"), "\(id).conf")
    }

    /// ``stateDirectory`` made absolute against the current directory, so that paths derived from
    /// it (the control socket) stay valid whatever the daemon's working directory later is.
    var absoluteStateDirectory: String? {
        guard let stateDirectory, !stateDirectory.isEmpty else { return nil }
        if stateDirectory.hasPrefix("/") { return stateDirectory }
        guard let cwd = getcwd(nil, 0) else { return stateDirectory }
        defer { free(cwd) }
        var relative = Substring(stateDirectory)
        while relative.hasPrefix("./") { relative = relative.dropFirst(2) }
        return join(String(cString: cwd), String(relative))
    }

    private func join(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }
}
