import Glibc
import P2PProtocol
import Synchronization
import Testing

@testable import P2PCatalog

/// Test helpers over plain Glibc: real temporary folders, created and removed by each test.

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Runs `body` with a fresh empty folder, removed afterwards with everything in it.
func withTemporaryFolder<T>(_ body: (String) throws -> T) throws -> T {
    let path = try makeTemporaryFolder()
    defer { removeRecursively(path) }
    return try body(path)
}

/// Async variant of `withTemporaryFolder`.
func withTemporaryFolderAsync<T>(_ body: (String) async throws -> T) async throws -> T {
    let path = try makeTemporaryFolder()
    defer { removeRecursively(path) }
    return try await body(path)
}

private func makeTemporaryFolder() throws -> String {
    let base = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
    var template = Array((base + "/p2p-catalog-tests.XXXXXX").utf8CString)
    guard let result = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
        throw TestFailure("mkdtemp failed: errno \(errno)")
    }
    return String(cString: result)
}

/// `rm -rf path`, without following symbolic links.
func removeRecursively(_ path: String) {
    var info = stat()
    guard lstat(path, &info) == 0 else { return }
    if info.st_mode & S_IFMT == S_IFDIR {
        if let stream = opendir(path) {
            var names: [String] = []
            while let entry = readdir(stream) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
                }
                if name != "." && name != ".." { names.append(name) }
            }
            closedir(stream)
            // Names that are not UTF-8 are removed by raw bytes below.
            for name in names { removeRecursively(path + "/" + name) }
            removeNonUTF8Entries(in: path)
        }
        rmdir(path)
    } else {
        unlink(path)
    }
}

/// Unlinks entries whose names are not valid UTF-8 (which a `String` path cannot name).
private func removeNonUTF8Entries(in path: String) {
    let folder = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard folder >= 0 else { return }
    defer { close(folder) }
    guard let names = try? listDirectory(folder) else { return }
    for raw in names where String(validating: raw, as: UTF8.self) == nil {
        _ = (raw + [0]).withUnsafeBufferPointer {
            $0.withMemoryRebound(to: CChar.self) { unlinkat(folder, $0.baseAddress!, 0) }
        }
    }
}

func makeFolder(_ path: String) throws {
    if mkdir(path, 0o755) != 0 { throw TestFailure("mkdir \(path): errno \(errno)") }
}

/// Creates or replaces the file at `path` with `bytes`.
func writeFile(_ path: String, _ bytes: [UInt8]) throws {
    try writeFile(pathBytes: Array(path.utf8), bytes)
}

/// As `writeFile`, with a path given as raw bytes (for names that are not UTF-8).
func writeFile(pathBytes: [UInt8], _ bytes: [UInt8]) throws {
    let descriptor = (pathBytes + [0]).withUnsafeBufferPointer {
        $0.withMemoryRebound(to: CChar.self) {
            open($0.baseAddress!, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        }
    }
    guard descriptor >= 0 else { throw TestFailure("open for writing: errno \(errno)") }
    defer { close(descriptor) }
    try writeAll(descriptor, bytes)
}

func writeFile(_ path: String, _ text: String) throws {
    try writeFile(path, Array(text.utf8))
}

func writeAll(_ descriptor: Int32, _ bytes: [UInt8]) throws {
    var done = 0
    while done < bytes.count {
        let result = bytes.withUnsafeBytes {
            write(descriptor, $0.baseAddress! + done, $0.count - done)
        }
        guard result > 0 else { throw TestFailure("write: errno \(errno)") }
        done += result
    }
}

func readFile(_ path: String) throws -> [UInt8] {
    guard let bytes = try HashCache.readWholeFile(path) else { throw TestFailure("no \(path)") }
    return bytes
}

/// Reads everything from an open descriptor from its current position.
func readAll(_ descriptor: Int32) -> [UInt8] {
    var result: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
        let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        if count <= 0 { return result }
        result += chunk[0..<count]
    }
}

func randomBytes(_ count: Int) -> [UInt8] {
    var generator = SystemRandomNumberGenerator()
    var bytes = [UInt8](repeating: 0, count: count)
    var index = 0
    while index < count {
        var word = generator.next() as UInt64
        for _ in 0..<8 where index < count {
            bytes[index] = UInt8(truncatingIfNeeded: word)
            word >>= 8
            index += 1
        }
    }
    return bytes
}

/// Sets a file's modification time, leaving its content (and size) alone.
func setModificationTime(_ path: String, seconds: Int, nanoseconds: Int = 0) throws {
    var times = [
        timespec(tv_sec: 0, tv_nsec: (1 << 30) - 2),  // UTIME_OMIT: leave the access time
        timespec(tv_sec: seconds, tv_nsec: nanoseconds),
    ]
    guard utimensat(AT_FDCWD, path, &times, 0) == 0 else {
        throw TestFailure("utimensat: errno \(errno)")
    }
}

/// The first field of a command's standard output, or nil when it printed nothing.
func commandOutputFirstField(_ command: String) -> String? {
    guard let stream = popen(command + " 2>/dev/null", "r") else { return nil }
    var output: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    while true {
        let count = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, stream) }
        if count == 0 { break }
        output += chunk[0..<count]
    }
    pclose(stream)
    let text = String(decoding: output, as: UTF8.self)
    return text.split(separator: " ").first.map(String.init).flatMap { $0.isEmpty ? nil : $0 }
}

/// Polls `condition` until it holds or `timeout` passes.
func eventually(
    timeout: Duration = .seconds(10), _ condition: () -> Bool
) async -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return condition()
}

func name(_ string: String) -> FileName {
    try! FileName(string)
}
