#if canImport(Glibc)
    import Glibc
#endif

/// Where this executable lives, so the daemons can be found beside it.
public enum ExecutableLocation {
    /// The folder of `/proc/self/exe`; `nil` if it cannot be read.
    public static var directory: String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        let path = String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard let slash = path.lastIndex(of: "/") else { return nil }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
