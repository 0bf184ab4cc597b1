#if canImport(Glibc)
    import Glibc
#endif

/// Finds the other programs an anchor measurement runs (rsync, nginx, curl, iperf3, redis-server,
/// redis-benchmark, gnuplot).
///
/// `$PATH` first, then the sbin folders: nginx lives in `/usr/sbin`, which an ordinary user's
/// `$PATH` often lacks, and a missing sbin entry should not read as "not installed".
public enum ToolLocator {
    public static func find(_ name: String) -> String? {
        var folders: [String] = []
        if let path = getenv("PATH") {
            folders = String(cString: path).split(separator: ":").map(String.init)
        }
        for extra in ["/usr/local/sbin", "/usr/sbin", "/sbin"] where !folders.contains(extra) {
            folders.append(extra)
        }
        for folder in folders where !folder.isEmpty {
            let candidate = folder + "/" + name
            if access(candidate, X_OK) == 0, FileIO.size(of: candidate) != nil { return candidate }
        }
        return nil
    }
}
