import Configuration

/// The layered view of one program's configuration, and typed reads with blame.
///
/// Layers, highest precedence first, handed to swift-configuration's `ConfigReader`:
/// command-line overrides, `P2P_…` environment variables (`EnvironmentVariablesProvider` behind a
/// `KeyMappingProvider` that applies ``SettingKey/environmentVariable``), then each config file's
/// drop-ins in reverse order, then the file itself, for each file given (later files above
/// earlier ones). Built-in defaults apply when no layer has the key, or when the winning layer
/// says `Key=` (empty), which resets to the default as in systemd.
struct SettingsResolver {
    let warnings: [ConfigWarning]
    let files: [String]
    private let knownKeys: Set<SettingKey>
    private let reader: ConfigReader
    private let recorder: WinningProviderRecorder
    private let iniProviders: [String: INIConfigProvider]
    private let environmentProviderName: String

    /// Reads `configFiles` (lowest precedence first, each with its drop-ins) and stacks the
    /// layers. Unknown keys in files become warnings; unknown override keys are errors.
    init(
        configFiles: [String],
        knownKeys: [SettingKey],
        environment: [String: String],
        overrides: [String: String]
    ) throws(ConfigurationError) {
        let known = Set(knownKeys)
        self.knownKeys = known

        var overrideDocument = INIDocument(path: "command line")
        for (name, value) in overrides.sorted(by: { $0.key < $1.key }) {
            guard let key = SettingKey(dotted: name) else { throw .malformedOverride("\(name)=\(value)") }
            guard known.contains(key) else {
                throw .unknownOverride(key, suggestion: Self.suggestion(for: key, in: known, sameSection: false))
            }
            overrideDocument.entries.append(.init(section: key.section, key: key.name, value: value, line: 0))
        }

        var documents: [INIDocument] = []
        for file in configFiles {
            documents += try ConfigFileStack.read(file)
        }
        self.files = documents.map(\.path)
        self.warnings = documents.flatMap { Self.warnings(for: $0, knownKeys: known) }

        let overrideProvider = INIConfigProvider(document: overrideDocument, origin: .commandLine)
        let fileProviders = documents.reversed().map { INIConfigProvider(document: $0) }
        let environmentProvider = KeyMappingProvider(
            upstream: EnvironmentVariablesProvider(environmentVariables: environment)
        ) { key in
            guard key.components.count == 2 else { return key }
            let setting = SettingKey(section: key.components[0], name: key.components[1])
            return AbsoluteConfigKey([setting.environmentVariable], context: key.context)
        }
        var providers: [any ConfigProvider] = [overrideProvider, environmentProvider]
        providers += fileProviders
        var byName: [String: INIConfigProvider] = [:]
        for provider in [overrideProvider] + fileProviders {
            byName[provider.providerName] = provider
        }
        self.iniProviders = byName
        self.environmentProviderName = environmentProvider.providerName
        self.recorder = WinningProviderRecorder()
        self.reader = ConfigReader(providers: providers, accessReporter: recorder)
    }

    /// The raw text for `key` from the highest layer that has it, and where it came from.
    func lookup(_ key: SettingKey) -> (text: String, source: ValueSource)? {
        assert(knownKeys.contains(key), "\(key) is not in the known key list")
        _ = recorder.takeWinner()
        guard let text = reader.string(forKey: ConfigKey([key.section, key.name])) else { return nil }
        let winner = recorder.takeWinner()
        let source: ValueSource
        if winner == environmentProviderName {
            source = .environment(variable: key.environmentVariable)
        } else if let winner, let provider = iniProviders[winner], let fileSource = provider.source(of: key) {
            source = fileSource
        } else {
            source = .commandLine
        }
        return (text, source)
    }

    /// The typed value of `key`, or nil when no layer sets it (or the winning layer empties it).
    ///
    /// - Throws: ``ConfigurationError/invalidValue(source:key:value:expected:)`` naming the layer.
    func value<Value>(_ key: SettingKey, _ kind: ValueKind<Value>) throws(ConfigurationError) -> Value? {
        guard let (text, source) = lookup(key), !text.isEmpty else { return nil }
        guard let value = kind.parse(text) else {
            throw .invalidValue(source: source, key: key, value: text, expected: kind.expected)
        }
        return value
    }

    /// The typed value of `key`, or `defaultValue` when no layer sets it.
    func value<Value>(
        _ key: SettingKey, _ kind: ValueKind<Value>, default defaultValue: Value
    ) throws(ConfigurationError) -> Value {
        try value(key, kind) ?? defaultValue
    }

    /// Warnings for the keys and sections of `document` that this program does not know.
    static func warnings(for document: INIDocument, knownKeys: Set<SettingKey>) -> [ConfigWarning] {
        let knownSections = Set(knownKeys.map(\.section))
        var warnings: [ConfigWarning] = []
        for header in document.sections where !knownSections.contains(header.name) {
            warnings.append(.unknownSection(path: document.path, line: header.line, section: header.name))
        }
        for entry in document.entries where knownSections.contains(entry.section) {
            let key = SettingKey(section: entry.section, name: entry.key)
            if !knownKeys.contains(key) {
                warnings.append(
                    .unknownKey(
                        path: document.path, line: entry.line, key: key,
                        suggestion: suggestion(for: key, in: knownKeys, sameSection: true)))
            }
        }
        return warnings.sorted { lineOf($0) < lineOf($1) }
    }

    /// A known key spelled the same but for letter case, as a "did you mean" hint.
    static func suggestion(for key: SettingKey, in knownKeys: Set<SettingKey>, sameSection: Bool) -> SettingKey? {
        knownKeys.sorted().first { candidate in
            (sameSection
                ? candidate.section == key.section : candidate.section.lowercased() == key.section.lowercased())
                && candidate.name.lowercased() == key.name.lowercased()
        }
    }

    private static func lineOf(_ warning: ConfigWarning) -> Int {
        switch warning {
        case .unknownKey(_, let line, _, _), .unknownSection(_, let line, _): line
        }
    }
}
