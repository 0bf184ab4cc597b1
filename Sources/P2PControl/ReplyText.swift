import P2PProtocol

/// How p2pctl shows each reply to a person (`--json` shows the raw line instead).
public enum ReplyText {
    public static func searchResults(_ results: [SearchResult]) -> [String] {
        var table = TextTable(header: ["NAME", "SIZE", "SHA256", "PEER", "ADDRESS"])
        for result in results {
            table.append([
                result.fileName, result.meta.size.map(ByteCount.human) ?? "-", shortDigest(result.meta.sha256),
                result.peerID, result.endpoint.description,
            ])
        }
        return table.lines
    }

    public static func localFiles(_ files: [LocalFile]) -> [String] {
        var table = TextTable(header: ["NAME", "FOLDER", "SIZE", "SHA256"])
        for file in files {
            table.append([file.name, file.folder.rawValue, ByteCount.human(file.size), shortDigest(file.sha256)])
        }
        return table.lines
    }

    public static func peers(_ peers: [PeerSummary]) -> [String] {
        var table = TextTable(header: ["PEER", "ADDRESS", "FILES", "SEEN", "HEARTBEATS"])
        for peer in peers {
            table.append([
                peer.peerID, peer.endpoint.description, "\(peer.fileCount)",
                "\(peer.idleMilliseconds / 1000) s ago", peer.heartbeats ? "yes" : "no (seed peer)",
            ])
        }
        return table.lines
    }

    public static func stats(_ stats: PeerStats) -> [String] {
        var list = KeyValueList()
        list.append("peer", stats.peerID)
        list.append("files shared", "\(stats.filesShared)")
        list.append("files replicated", "\(stats.filesReplicated)")
        list.append("uploaded", "\(ByteCount.human(stats.bytesUploaded)) (\(stats.bytesUploaded) bytes)")
        list.append("downloaded", "\(ByteCount.human(stats.bytesDownloaded)) (\(stats.bytesDownloaded) bytes)")
        list.append("upload rate", ByteCount.rate(stats.uploadRate))
        list.append("download rate", ByteCount.rate(stats.downloadRate))
        list.append("uploads in flight", "\(stats.uploadsInFlight)")
        list.append("downloads in flight", "\(stats.downloadsInFlight)")
        list.append("downloads completed", "\(stats.downloadsCompleted)")
        list.append("downloads failed", "\(stats.downloadsFailed)")
        list.append("index", stats.indexReachable ? "reachable" : "unreachable")
        return list.lines
    }

    public static func status(_ status: PeerStatus) -> [String] {
        var list = KeyValueList()
        list.append("peer", status.peerID)
        list.append("version", status.version)
        list.append("state", status.state)
        list.append("listening on", status.listen)
        list.append("index", "\(status.index) (\(status.indexReachable ? "reachable" : "unreachable"))")
        list.append("registered files", "\(status.registeredFiles)")
        list.append("up", duration(status.uptimeSeconds))
        return list.lines
    }

    /// `name: N bytes, sha256 verified, from peer1`, or `… unverified (the index had no SHA-256)`.
    public static func outcome(_ outcome: DownloadOutcome) -> String {
        var line = "\(outcome.fileName): \(outcome.size) bytes, "
        line += outcome.verified ? "sha256 verified" : "unverified (the index had no SHA-256)"
        if !outcome.sources.isEmpty { line += ", from " + outcome.sources.joined(separator: ", ") }
        if outcome.resumedFrom > 0 { line += ", resumed at byte \(outcome.resumedFrom)" }
        return line
    }

    /// The first 12 hex digits: enough to tell files apart in a table; `-` when unknown.
    public static func shortDigest(_ digest: String?) -> String {
        digest.map { String($0.prefix(12)) } ?? "-"
    }

    /// `3d 4h 5m 6s`, leading zero units dropped.
    public static func duration(_ seconds: Int64) -> String {
        let parts: [(Int64, String)] = [
            (seconds / 86_400, "d"), (seconds / 3600 % 24, "h"), (seconds / 60 % 60, "m"), (seconds % 60, "s"),
        ]
        let shown = parts.drop { $0.0 == 0 && $0.1 != "s" }
        return shown.map { "\($0.0)\($0.1)" }.joined(separator: " ")
    }
}
