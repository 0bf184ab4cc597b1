/// The result of loading settings: the values, plus what the daemon should log about them.
public struct LoadedSettings<Settings: Sendable & Equatable>: Sendable, Equatable {
    /// The effective settings after all layers.
    public var settings: Settings
    /// Ignored keys and sections; log each one, then carry on.
    public var warnings: [ConfigWarning]
    /// The files that were read, lowest precedence first (missing files are not listed), so the
    /// daemon can log where its configuration came from.
    public var files: [String]

    /// Creates a result.
    public init(settings: Settings, warnings: [ConfigWarning], files: [String]) {
        self.settings = settings
        self.warnings = warnings
        self.files = files
    }
}
