#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension ClusterKey {
    /// Reads the key from `path`, refusing a file other users could read or change.
    ///
    /// Like ssh with its private keys, a key file with any "other" permission bit set is refused
    /// rather than used: a key every local user can read protects nothing. Group access is
    /// allowed, since the daemons run as user `p2p` and the file is typically `root:p2p 0640`.
    public static func load(path: String) throws(ClusterKeyError) -> ClusterKey {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)
        guard descriptor >= 0 else { throw .unreadable(String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw .unreadable(String(cString: strerror(errno))) }
        guard status.st_mode & S_IFMT == S_IFREG else { throw .notARegularFile }
        guard status.st_mode & 0o007 == 0 else { throw .accessibleToOthers(mode: UInt32(status.st_mode)) }
        var contents: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1024)
        while contents.count <= maximumFileBytes {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .unreadable(String(cString: strerror(errno)))
            }
            if count == 0 { break }
            contents += chunk[..<count]
        }
        return try ClusterKey(fileContents: contents)
    }
}
