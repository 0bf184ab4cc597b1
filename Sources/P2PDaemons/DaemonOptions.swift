import ArgumentParser
import P2PConfig

/// The options both daemons take for their configuration, declared once.
public struct DaemonOptions: ParsableArguments, Sendable {
    @Option(help: ArgumentHelp("Folder with index.conf, peer.conf and peers/<id>.conf.", valueName: "dir"))
    public var configDir = ConfigLocations.defaultConfigDirectory

    @Flag(help: "Check the configuration, print the files read and any warnings, and exit (78 when invalid).")
    public var checkConfig = false

    @Option(
        name: .customLong("set"), help: ArgumentHelp("Override a setting (repeatable).", valueName: "Section.Key=Value")
    )
    public var assignments: [String] = []

    public init() {}

    /// The `--set` assignments keyed `Section.Key`, for the top layer of the settings.
    public func overrides() throws(ConfigurationError) -> [String: String] {
        try CommandLineOverrides.parse(assignments)
    }
}
