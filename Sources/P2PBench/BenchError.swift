/// Why a bench step failed, worded for the one line `p2p-bench: reason` on stderr.
public enum BenchError: Error, Equatable, CustomStringConvertible {
    case invalidArgument(String)
    /// A system call failed: what was being done, on what, and errno.
    case system(String, path: String, errno: Int32)
    /// The index or a peer answered something unexpected.
    case protocolFailure(String)
    /// A daemon did not start, or did not become ready in time.
    case daemon(String)
    /// The run finished but something was wrong (short or corrupt downloads, failed searches).
    case failedChecks(String)

    public var description: String {
        switch self {
        case .invalidArgument(let what): what
        case .system(let call, let path, let code): "\(call) \(path): \(SystemErrorText.describe(code))"
        case .protocolFailure(let what): what
        case .daemon(let what): what
        case .failedChecks(let what): what
        }
    }
}
