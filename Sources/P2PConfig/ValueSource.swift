/// Where a setting's value came from, so an error can send the admin to the right place.
public enum ValueSource: Sendable, Equatable, CustomStringConvertible {
    /// A line in a config file (main file or drop-in).
    case file(path: String, line: Int)
    /// A `P2P_…` environment variable.
    case environment(variable: String)
    /// A flag override given to the executable (`--set Section.Key=Value` or a dedicated flag).
    case commandLine

    /// `path:line`, `environment variable P2P_…` or `command line`.
    public var description: String {
        switch self {
        case .file(let path, let line): "\(path):\(line)"
        case .environment(let variable): "environment variable \(variable)"
        case .commandLine: "command line"
        }
    }
}
