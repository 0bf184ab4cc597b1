#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Corpus files on disk, read with plain libc so that neither the replay tool nor the replay
/// test needs Foundation.
public enum CorpusFiles {
    /// `path` itself when it is a file; the regular files directly in it, sorted, when it is a
    /// folder (hidden files skipped); nothing when it does not exist.
    public static func list(_ path: String) -> [String] {
        guard let type = fileType(path) else { return [] }
        guard type == S_IFDIR else { return [path] }
        return entries(of: path, type: S_IFREG).map { path + "/" + $0 }
    }

    /// The names of the folders directly in `path`, sorted (hidden ones skipped).
    public static func folders(_ path: String) -> [String] {
        entries(of: path, type: S_IFDIR)
    }

    private static func entries(of path: String, type: mode_t) -> [String] {
        guard let directory = opendir(path) else { return [] }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if !name.hasPrefix("."), fileType(path + "/" + name) == type { names.append(name) }
        }
        return names.sorted()
    }

    private static func fileType(_ path: String) -> mode_t? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        return status.st_mode & S_IFMT
    }

    /// The whole file, or `nil` when it cannot be read.
    public static func contents(of path: String) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if count == 0 { return bytes }
            bytes.append(contentsOf: chunk[..<count])
        }
    }
}
