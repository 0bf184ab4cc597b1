#if canImport(Glibc)
    import Glibc
#endif

/// Creating, making and removing folders without Foundation.
public enum Directories {
    /// `mkdir -p`.
    public static func create(_ path: String, mode: mode_t = 0o755) throws(BenchError) {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            prefix += component
            if mkdir(prefix, mode) != 0 && errno != EEXIST {
                throw .system("mkdir", path: prefix, errno: errno)
            }
            prefix += "/"
        }
    }

    /// A new private folder `<parent>/<prefix>XXXXXX` (mkdtemp).
    public static func makeTemporary(in parent: String, prefix: String) throws(BenchError) -> String {
        var template = Array((parent + "/" + prefix + "XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        guard made != nil else { throw .system("mkdtemp", path: parent, errno: errno) }
        return template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    /// `rm -rf`: removes `path` and everything below it, never following symbolic links.
    public static func removeTree(_ path: String) {
        var status = stat()
        guard lstat(path, &status) == 0 else { return }
        if (status.st_mode & S_IFMT) == S_IFDIR {
            for name in entries(of: path) { removeTree(path + "/" + name) }
            rmdir(path)
        } else {
            unlink(path)
        }
    }

    /// Names in a folder, without `.` and `..`; none when it cannot be read.
    public static func entries(of path: String) -> [String] {
        guard let stream = opendir(path) else { return [] }
        defer { closedir(stream) }
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// `$TMPDIR`, else `/tmp`.
    public static var temporaryParent: String {
        if let value = getenv("TMPDIR"), value.pointee != 0 { return String(cString: value) }
        return "/tmp"
    }
}
