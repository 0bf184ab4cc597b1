import Foundation
import P2PNet
import P2PProtocol

/// Files served by name from a fresh temporary folder, for a `PeerServer` under test. The real
/// peer serves its catalog; the server itself only needs something that opens files.
final class ServedFolder: ServedFiles {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("p2p-served-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// Writes `count` bytes that differ per name and per position, and returns them.
    @discardableResult
    func add(_ name: String, count: Int) throws -> [UInt8] {
        let seed = name.utf8.reduce(UInt8(7)) { $0 &* 31 &+ $1 }
        let bytes = (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ $0 >> 8) ^ seed }
        try Data(bytes).write(to: url.appendingPathComponent(name))
        return bytes
    }

    func open(_ request: ObtainRequest) throws(ServeError) -> ServedFile {
        guard let name = request.fileName, !name.contains("/"), !name.hasPrefix(".") else { throw .notFound }
        let path = url.appendingPathComponent(name).path
        let descriptor = Foundation.open(path, O_RDONLY)
        guard descriptor >= 0 else { throw .notFound }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            close(descriptor)
            throw .notFound
        }
        return ServedFile(descriptor: descriptor, name: name, size: Int64(info.st_size), sha256: nil)
    }
}
