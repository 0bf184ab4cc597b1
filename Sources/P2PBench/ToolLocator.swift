#if canImport(Glibc)
    import Glibc
#endif

/// Finds the other programs an anchor measurement runs (rsync, nginx, curl, iperf3, redis-server,
/// redis-benchmark, gnuplot).
///
/// `$PATH` first, then the sbin folders: nginx lives in `/usr/sbin`, which an ordinary user's
/// `$PATH` often lacks, and a missing sbin entry should not read as "not installed". The folders
/// are a value, so a test can point it at a folder without the tools and see each anchor skipped.
public struct ToolLocator: Sendable {
    public var folders: [String]

    public init(folders: [String]) { self.folders = folders }

    /// `$PATH`, then /usr/local/sbin, /usr/sbin and /sbin.
    public static var standard: ToolLocator {
        var folders: [String] = []
        if let path = getenv("PATH") {
            folders = String(cString: path).split(separator: ":").map(String.init)
        }
        for extra in ["/usr/local/sbin", "/usr/sbin", "/sbin"] where !folders.contains(extra) {
            folders.append(extra)
        }
        return ToolLocator(folders: folders)
    }

    /// The first executable regular file `name` in the folders.
    public func find(_ name: String) -> String? {
        for folder in folders where !folder.isEmpty {
            let candidate = folder + "/" + name
            if access(candidate, X_OK) == 0, FileIO.size(of: candidate) != nil { return candidate }
        }
        return nil
    }
}
