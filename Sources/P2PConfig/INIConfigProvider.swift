public import Configuration

/// A swift-configuration provider serving the assignments of one parsed INI document.
///
/// One provider per file (main file, each drop-in, the command-line overrides), so that
/// `ConfigReader` does the layering — the first provider holding a key wins — and the name of the
/// winning provider tells us which file, and via ``source(of:)`` which line, a value came from.
///
/// Keys are two components, `[section, key]`, spelled exactly as in the file (case-sensitive,
/// like systemd). Values are served as strings; `int`, `double` and `bool` requests are converted
/// (booleans the systemd way: yes/no, true/false, on/off, 1/0). Immutable: a reload builds new
/// providers from the files, so fetch and watch serve the parsed state.
public struct INIConfigProvider: ConfigProvider, Sendable {
    /// Where the document came from; decides how ``source(of:)`` describes a value.
    public enum Origin: Sendable, Equatable {
        /// A file on disk; values are described as `path:line`.
        case file
        /// Flag overrides; values are described as "command line".
        case commandLine
    }

    /// The parsed document served by this provider.
    public let document: INIDocument
    /// Whether the document is a file or the command line.
    public let origin: Origin
    private let currentSnapshot: Snapshot

    /// Creates a provider over `document`.
    public init(document: INIDocument, origin: Origin = .file) {
        self.document = document
        self.origin = origin
        var values: [AbsoluteConfigKey: INIDocument.Entry] = [:]
        for entry in document.entries {
            values[AbsoluteConfigKey([entry.section, entry.key])] = entry
        }
        self.currentSnapshot = Snapshot(providerName: "INIConfigProvider[\(document.path)]", values: values)
    }

    /// Where the value for `key` (`Section`, `Key`) comes from in this provider, if it has one.
    public func source(of key: SettingKey) -> ValueSource? {
        guard let entry = currentSnapshot.values[AbsoluteConfigKey([key.section, key.name])] else { return nil }
        switch origin {
        case .file: return .file(path: document.path, line: entry.line)
        case .commandLine: return .commandLine
        }
    }

    // swift-format-ignore: AllPublicDeclarationsHaveDocumentation
    public var providerName: String { currentSnapshot.providerName }

    // swift-format-ignore: AllPublicDeclarationsHaveDocumentation
    public func value(forKey key: AbsoluteConfigKey, type: ConfigType) throws -> LookupResult {
        try currentSnapshot.value(forKey: key, type: type)
    }

    // swift-format-ignore: AllPublicDeclarationsHaveDocumentation
    public func fetchValue(forKey key: AbsoluteConfigKey, type: ConfigType) async throws -> LookupResult {
        try value(forKey: key, type: type)
    }

    // swift-format-ignore: AllPublicDeclarationsHaveDocumentation
    // The library is built with NonisolatedNonsendingByDefault, so its requirements spell
    // `nonisolated(nonsending)`; so must we.
    nonisolated(nonsending) public func watchValue<Return: ~Copyable>(
        forKey key: AbsoluteConfigKey,
        type: ConfigType,
        updatesHandler:
            nonisolated(nonsending) (
                _ updates: ConfigUpdatesAsyncSequence<Result<LookupResult, any Error>, Never>
            ) async throws -> Return
    ) async throws -> Return {
        try await watchValueFromValue(forKey: key, type: type, updatesHandler: updatesHandler)
    }

    // swift-format-ignore: AllPublicDeclarationsHaveDocumentation
    public func snapshot() -> any ConfigSnapshot { currentSnapshot }

    // swift-format-ignore: AllPublicDeclarationsHaveDocumentation
    nonisolated(nonsending) public func watchSnapshot<Return: ~Copyable>(
        updatesHandler:
            nonisolated(nonsending) (_ updates: ConfigUpdatesAsyncSequence<any ConfigSnapshot, Never>) async throws ->
            Return
    ) async throws -> Return {
        try await watchSnapshotFromSnapshot(updatesHandler: updatesHandler)
    }
}

extension INIConfigProvider {
    /// The immutable lookup table behind the provider.
    struct Snapshot: ConfigSnapshot {
        let providerName: String
        let values: [AbsoluteConfigKey: INIDocument.Entry]

        func value(forKey key: AbsoluteConfigKey, type: ConfigType) throws -> LookupResult {
            let encodedKey = key.components.joined(separator: ".")
            guard let entry = values[key] else {
                return LookupResult(encodedKey: encodedKey, value: nil)
            }
            let text = entry.value
            let content: ConfigContent? =
                switch type {
                case .string: .string(text)
                case .int: Int(text).map { .int($0) }
                case .double: Double(text).map { .double($0) }
                case .bool: ValueKind<Bool>.systemdBoolean(text).map { .bool($0) }
                default: nil
                }
            guard let content else {
                throw ConversionError(key: encodedKey, value: text, type: type)
            }
            return LookupResult(encodedKey: encodedKey, value: ConfigValue(content, isSecret: false))
        }
    }

    /// A value that cannot be served as the requested type.
    struct ConversionError: Error, CustomStringConvertible {
        let key: String
        let value: String
        let type: ConfigType

        var description: String { "\(key)=\(value) is not convertible to \(type.rawValue)" }
    }
}
