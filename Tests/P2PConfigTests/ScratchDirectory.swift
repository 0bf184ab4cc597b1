import FoundationEssentials
import P2PConfig

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A temporary folder for one test, removed afterwards; config files are written into it.
struct ScratchDirectory {
    let path: String

    /// Writes `text` to `relativePath`, creating parent folders.
    func write(_ relativePath: String, _ text: String) throws {
        try writeBytes(relativePath, Array(text.utf8))
    }

    /// Writes raw bytes (e.g. invalid UTF-8) to `relativePath`, creating parent folders.
    func writeBytes(_ relativePath: String, _ bytes: [UInt8]) throws {
        let full = path + "/" + relativePath
        let parent = String(full[..<full.lastIndex(of: "/")!])
        try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(filePath: full))
    }

    /// Creates an (empty) folder at `relativePath`.
    func makeDirectory(_ relativePath: String) throws {
        try FileManager.default.createDirectory(atPath: path + "/" + relativePath, withIntermediateDirectories: true)
    }

    /// `ConfigLocations` with this folder as the config directory.
    var locations: ConfigLocations { ConfigLocations(configDirectory: path) }
}

/// Runs `body` with a fresh scratch folder and removes the folder afterwards, pass or fail.
func withScratchDirectory<Result>(_ body: (ScratchDirectory) throws -> Result) throws -> Result {
    let base = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
    var template = Array((base + "/p2p-config-test-XXXXXX").utf8CString)
    guard let created = mkdtemp(&template) else { throw ScratchError.cannotCreate }
    let directory = ScratchDirectory(path: String(cString: created))
    defer { try? FileManager.default.removeItem(atPath: directory.path) }
    return try body(directory)
}

/// The scratch folder could not be made.
enum ScratchError: Error { case cannotCreate }
