import Foundation
import P2PProtocol
import Testing

/// An index and peers as real processes under a scratch folder, on ephemeral loopback ports.
final class Cluster {
    let root: URL
    private(set) var index: Daemon!
    private(set) var indexPort = 0
    private var peers: [String: Daemon] = [:]
    private var peerPorts: [String: Int] = [:]
    let indexArguments: [String]
    let peerArguments: [String]

    /// - Parameters:
    ///   - indexSettings: extra `--set` assignments for the index.
    ///   - peerSettings: extra `--set` assignments for every peer.
    init(indexSettings: [String] = [], peerSettings: [String] = []) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("p2p-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: root.appendingPathComponent("etc"), withIntermediateDirectories: true)
        indexArguments = indexSettings.flatMap { ["--set", $0] }
        peerArguments = peerSettings.flatMap { ["--set", $0] }
        try startIndex()
    }

    deinit {
        for daemon in peers.values { daemon.stop(timeout: 2) }
        index?.stop(timeout: 2)
        try? FileManager.default.removeItem(at: root)
    }

    func startIndex(port: Int = 0) throws {
        index = try Daemon(
            "p2p-indexd",
            [
                "--config-dir", root.appendingPathComponent("etc").path, "--listen-address", "127.0.0.1", "--port",
                "\(port)",
            ]
                + indexArguments)
        indexPort = try index.listeningPort()
    }

    func stateDirectory(_ id: String) -> URL { root.appendingPathComponent(id) }
    func shared(_ id: String) -> URL { stateDirectory(id).appendingPathComponent("shared") }
    func downloaded(_ id: String) -> URL { stateDirectory(id).appendingPathComponent("downloaded") }
    func replicated(_ id: String) -> URL { stateDirectory(id).appendingPathComponent("replicated") }
    func controlSocket(_ id: String) -> String { stateDirectory(id).appendingPathComponent("control.sock").path }

    /// Writes `count` random bytes as `name` in the peer's shared folder (before or after start).
    @discardableResult
    func share(_ id: String, _ name: String, bytes count: Int) throws -> Data {
        try FileManager.default.createDirectory(at: shared(id), withIntermediateDirectories: true)
        var data = Data(count: count)
        data.withUnsafeMutableBytes { raw in
            var generator = SystemRandomNumberGenerator()
            for index in stride(from: 0, to: raw.count, by: 8) {
                var word = generator.next()
                withUnsafeBytes(of: &word) { word in
                    for offset in 0..<min(8, raw.count - index) { raw[index + offset] = word[offset] }
                }
            }
        }
        try data.write(to: shared(id).appendingPathComponent(name))
        return data
    }

    @discardableResult
    func startPeer(_ id: String, _ extra: [String] = [], environment: [String: String] = [:]) throws -> Daemon {
        try FileManager.default.createDirectory(at: shared(id), withIntermediateDirectories: true)
        let daemon = try Daemon(
            "p2p-peerd",
            [
                "--id", id, "--config-dir", root.appendingPathComponent("etc").path, "--state-dir",
                stateDirectory(id).path, "--port", "0", "--set", "Index.Port=\(indexPort)", "--set",
                "Peer.AdvertiseHost=127.0.0.1", "--set", "Peer.ListenAddress=127.0.0.1",
            ] + peerArguments + extra,
            environment: ["P2P_LOG_LEVEL": ProcessInfo.processInfo.environment["P2P_TEST_LOG_LEVEL"] ?? "info"].merging(
                environment
            ) { _, new in new })
        peers[id] = daemon
        peerPorts[id] = try daemon.listeningPort()
        return daemon
    }

    func peer(_ id: String) -> Daemon { peers[id]! }

    /// Every daemon's log, for failure messages.
    var logs: String {
        (["index": index] as [String: Daemon?]).merging(peers.mapValues { $0 }) { a, _ in a }
            .sorted { $0.key < $1.key }
            .map { "--- \($0.key)\n\($0.value?.output ?? "")" }.joined(separator: "\n")
    }
    func port(of id: String) -> Int { peerPorts[id]! }

    func search(_ request: SearchRequest) throws -> [SearchResult] {
        let client = try LineClient(port: indexPort)
        return try SearchResponse(
            payload: client.request(Envelope(type: .searchRequest, payload: request.payload)).payload
        )
        .results
    }

    /// Polls the index until `condition` holds for the search results, or fails after `timeout`.
    @discardableResult
    func waitForSearch(
        _ request: SearchRequest, timeout: Double = 10, until condition: ([SearchResult]) -> Bool
    ) throws -> [SearchResult] {
        let deadline = Date().addingTimeInterval(timeout)
        var results: [SearchResult] = []
        while Date() < deadline {
            results = (try? search(request)) ?? []
            if condition(results) { return results }
            usleep(50_000)
        }
        Issue.record(
            "search \(request.query) never met the condition; last results: \(results.map(\.peerID))\n\(logs)")
        return results
    }

    /// Obtains a file from a peer the way any client would: header line, then the bytes.
    func obtain(from id: String, _ request: ObtainRequest) throws -> (Envelope, [UInt8]) {
        let client = try LineClient(port: port(of: id))
        try client.send(Envelope(type: .obtainRequest, peerID: "test", payload: request.payload))
        guard let line = try client.readLine() else { throw ClientError.closed }
        let header = try Envelope(line: line)
        guard header.payload["status"] == "ok" else { return (header, []) }
        let response = try ObtainResponse(payload: header.payload)
        return (header, try client.readBytes(Int(response.bodyLength)))
    }
}
