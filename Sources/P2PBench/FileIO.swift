#if canImport(Glibc)
    import Glibc
#endif

/// Small blocking file helpers over Glibc.
enum FileIO {
    /// Writes every byte, retrying short writes and EINTR.
    static func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws(BenchError) {
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw .system("write", path: path, errno: errno)
            }
            offset += written
        }
    }

    /// The whole file as text; `nil` when it cannot be read.
    static func readText(_ path: String, limit: Int = 16 << 20) -> String? {
        readBytes(path, limit: limit).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The file's bytes, at most `limit` of them; `nil` when it cannot be read.
    static func readBytes(_ path: String, limit: Int = 16 << 20) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while bytes.count < limit {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if count == 0 { break }
            bytes.append(contentsOf: buffer[..<count])
        }
        return bytes
    }

    /// Writes `text` to `path`, replacing it.
    static func writeText(_ text: String, to path: String) throws(BenchError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .system("open", path: path, errno: errno) }
        defer { close(descriptor) }
        var bytes = Array(text.utf8)
        if bytes.last != 0x0A { bytes.append(0x0A) }
        let result: Result<Void, BenchError> = bytes.withUnsafeBytes { raw in
            do throws(BenchError) { return .success(try writeAll(descriptor, raw, path: path)) } catch {
                return .failure(error)
            }
        }
        try result.get()
    }

    /// The size of a regular file, or `nil` when it is missing or not a regular file.
    static func size(of path: String) -> Int64? {
        var status = stat()
        guard stat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int64(status.st_size)
    }
}
