#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A config file together with its drop-ins: `X.conf`, then `X.conf.d/*.conf` in lexical order,
/// the way systemd reads its own `*.conf` files.
///
/// A missing file or folder is normal (the built-in defaults apply); anything that exists but
/// cannot be read is an error naming the path, because silently running with defaults when the
/// admin wrote a config is worse than not starting.
enum ConfigFileStack {
    /// Reads and parses `path` and its drop-ins, lowest precedence first.
    static func read(_ path: String) throws(ConfigurationError) -> [INIDocument] {
        var documents: [INIDocument] = []
        if let main = try readText(path) {
            documents.append(try INIParser.parse(main, path: path))
        }
        for dropIn in try dropInPaths(for: path) {
            if let text = try readText(dropIn) {
                documents.append(try INIParser.parse(text, path: dropIn))
            }
        }
        return documents
    }

    /// `X.conf.d/*.conf` for `X.conf`, sorted by byte value of the name (as systemd does); hidden
    /// files are skipped. A missing folder gives an empty list.
    static func dropInPaths(for path: String) throws(ConfigurationError) -> [String] {
        let directory = path + ".d"
        guard let names = try listDirectory(directory) else { return [] }
        return
            names
            .filter { $0.hasSuffix(".conf") && !$0.hasPrefix(".") }
            .sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
            .map { directory + "/" + $0 }
    }

    /// The UTF-8 text of `path`, or nil when it does not exist.
    static func readText(_ path: String) throws(ConfigurationError) -> String? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        if descriptor < 0 {
            let code = errno
            if code == ENOENT { return nil }
            throw .unreadable(path: path, reason: errorText(code))
        }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while true {
            let count = buffer.withUnsafeMutableBytes {
                systemRead(descriptor, $0.baseAddress, $0.count)
            }
            if count < 0 {
                let code = errno
                if code == EINTR { continue }
                throw .unreadable(path: path, reason: errorText(code))
            }
            if count == 0 { break }
            bytes.append(contentsOf: buffer[0..<count])
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .unreadable(path: path, reason: "not valid UTF-8 text")
        }
        return text
    }

    /// The entry names in `directory`, or nil when it does not exist.
    static func listDirectory(_ directory: String) throws(ConfigurationError) -> [String]? {
        guard let handle = opendir(directory) else {
            let code = errno
            if code == ENOENT { return nil }
            throw .unreadable(path: directory, reason: errorText(code))
        }
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafePointer(to: &entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: MemoryLayout.size(ofValue: entry.pointee.d_name)) {
                    String(cString: $0)
                }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// The C library's `read(2)`, named apart from our own `read(_:)`.
    private static func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
        #if canImport(Glibc)
            Glibc.read(descriptor, buffer, count)
        #elseif canImport(Musl)
            Musl.read(descriptor, buffer, count)
        #else
            Darwin.read(descriptor, buffer, count)
        #endif
    }

    /// The C library's text for an errno value, e.g. "Permission denied".
    static func errorText(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}
