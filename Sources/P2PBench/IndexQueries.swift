import P2PProtocol

/// The few index requests the bench makes outside its measured loops.
public enum IndexQueries {
    public static func stats(_ address: SocketAddress) throws(BenchError) -> IndexStats {
        let reply = try LineSocket(connectingTo: address).request(Envelope(type: .statsRequest, payload: [:]))
        do {
            return try IndexStats(payload: reply.payload)
        } catch {
            throw .protocolFailure("\(address.text) answered STATS with \(reply.payload.serialized)")
        }
    }

    /// Exact-name search; the results (none when the index says file_not_found).
    public static func search(_ name: String, at address: SocketAddress) throws(BenchError) -> [SearchResult] {
        let request = Envelope(type: .searchRequest, payload: SearchRequest(query: name).payload)
        let reply = try LineSocket(connectingTo: address).request(request)
        return (try? SearchResponse(payload: reply.payload).results) ?? []
    }

    /// Polls STATS until the index holds at least `files` (peer, file) pairs; `progress` is called
    /// with each count. Fails after `timeoutSeconds`.
    public static func waitForFiles(
        _ files: Int, at address: SocketAddress, timeoutSeconds: Double, progress: (Int) -> Void = { _ in }
    ) throws(BenchError) -> IndexStats {
        let start = MonotonicTime.now()
        var last: IndexStats?
        while MonotonicTime.seconds(since: start) < timeoutSeconds {
            if let stats = try? stats(address) {
                last = stats
                progress(stats.files)
                if stats.files >= files { return stats }
            }
            Sleep.milliseconds(100)
        }
        throw .daemon(
            "the index holds \(last?.files ?? 0) files after \(Int(timeoutSeconds)) s, expected \(files)")
    }
}
