import Glibc

/// The raw names in a folder, as `readdir` returns them (bytes, possibly not UTF-8), without `.`
/// and `..`. Reads through a duplicate of `folder` so the caller's descriptor stays open and usable
/// for the `*at` calls that follow.
func listDirectory(_ folder: Int32) throws(SystemError) -> [[UInt8]] {
    let duplicate = dup(folder)
    if duplicate < 0 { throw SystemError.last("dup") }
    guard let stream = fdopendir(duplicate) else {
        let error = SystemError.last("fdopendir")
        close(duplicate)
        throw error
    }
    defer { closedir(stream) }
    rewinddir(stream)
    var names: [[UInt8]] = []
    while true {
        errno = 0
        guard let entry = readdir(stream) else {
            if errno != 0 { throw SystemError.last("readdir") }
            return names
        }
        let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
            Array(raw.prefix { $0 != 0 })
        }
        if name == [UInt8(ascii: ".")] || name == [UInt8(ascii: "."), UInt8(ascii: ".")] { continue }
        names.append(name)
    }
}
