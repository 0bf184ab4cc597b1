#if canImport(Glibc)
    import Glibc
#endif

/// Writes a peer's dataset: each file's bytes come from `FastRandom(name:)`, so the same name
/// always gets the same bytes and different names different ones.
public struct DatasetWriter: Sendable {
    public let spec: DatasetSpec
    public let directory: String
    /// Bytes written per `write(2)`.
    public var chunkSize = 1 << 20

    public init(spec: DatasetSpec, directory: String) {
        self.spec = spec
        self.directory = directory
    }

    /// Creates `directory` (and missing parents) and writes every file; `written` is called after
    /// each file.
    @discardableResult
    public func write(written: (DatasetFile) -> Void = { _ in }) throws(BenchError) -> [DatasetFile] {
        try Directories.create(directory)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        var files: [DatasetFile] = []
        for file in spec.allFiles {
            try write(file, buffer: buffer)
            files.append(file)
            written(file)
        }
        return files
    }

    private func write(_ file: DatasetFile, buffer: UnsafeMutableRawBufferPointer) throws(BenchError) {
        let path = directory + "/" + file.name
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .system("open", path: path, errno: errno) }
        defer { close(descriptor) }
        var random = FastRandom(name: file.name)
        var remaining = file.size
        while remaining > 0 {
            let count = Int(min(Int64(buffer.count), remaining))
            let slice = UnsafeMutableRawBufferPointer(rebasing: buffer[0..<count])
            random.fill(slice)
            try FileIO.writeAll(descriptor, UnsafeRawBufferPointer(slice), path: path)
            remaining -= Int64(count)
        }
    }
}
