/// The `--set Section.Key=Value` spelling of flag overrides.
///
/// The executables own their flags; this turns the repeated `--set` arguments into the dictionary
/// that ``IndexSettings/load(locations:environment:overrides:)`` and
/// ``PeerSettings/load(id:locations:environment:overrides:)`` take. Later assignments win, as in
/// the files.
public enum CommandLineOverrides {
    /// Parses `["Peer.Port=7200", "Transfer.RateLimit=1M"]` into `["Peer.Port": "7200", …]`.
    ///
    /// - Throws: ``ConfigurationError/malformedOverride(_:)`` for text without `=` or without a
    ///   `Section.Key` before it.
    public static func parse(_ assignments: [String]) throws(ConfigurationError) -> [String: String] {
        var result: [String: String] = [:]
        for assignment in assignments {
            guard let equals = assignment.firstIndex(of: "=") else { throw .malformedOverride(assignment) }
            let name = String(INIParser.trimWhitespace(assignment[..<equals]))
            let value = String(INIParser.trimWhitespace(assignment[assignment.index(after: equals)...]))
            guard SettingKey(dotted: name) != nil else { throw .malformedOverride(assignment) }
            result[name] = value
        }
        return result
    }
}
