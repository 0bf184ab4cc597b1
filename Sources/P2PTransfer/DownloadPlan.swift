import P2PProtocol

/// Which file to fetch and from whom, decided from search results before any byte moves.
///
/// A name can map to different contents on different peers. The plan picks the content (SHA-256)
/// held by the most peers, unless the user named a hash, and lists every holder of that content
/// as a source, so a source that dies mid-file is replaced by the next one holding the same bytes.
public struct DownloadPlan: Sendable, Equatable {
    public var fileName: String
    /// `nil` when the index had no SHA-256 (seed peers): such a download is checked by size only.
    public var sha256: String?
    public var size: Int64?
    public var sources: [SearchResult]
    /// Said to the user when the choice was not obvious.
    public var note: String?

    public init(fileName: String, sha256: String?, size: Int64?, sources: [SearchResult], note: String? = nil) {
        self.fileName = fileName
        self.sha256 = sha256
        self.size = size
        self.sources = sources
        self.note = note
    }

    /// - Parameters:
    ///   - results: search results for the name (or the hash).
    ///   - wantedSHA256: the user's `--sha256`, if any.
    ///   - selfID: our own peer id, never a source.
    public static func choose(
        from results: [SearchResult], wantedSHA256: String? = nil, excluding selfID: String
    ) throws(DownloadPlanError) -> DownloadPlan {
        let candidates = results.filter { $0.peerID != selfID }
        guard let first = candidates.first else { throw .noSource }
        var groups: [String: [SearchResult]] = [:]
        var order: [String] = []
        for result in candidates {
            let key = result.meta.sha256 ?? ""
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(result)
        }
        let chosenKey: String
        var note: String?
        if let wanted = wantedSHA256 {
            guard groups[wanted] != nil else { throw .noSourceWithHash(wanted) }
            chosenKey = wanted
        } else {
            // Most holders first; ties go to the hash seen first, and a hash beats none.
            chosenKey = order.max { a, b in
                let (ca, cb) = (groups[a]!.count, groups[b]!.count)
                if ca != cb { return ca < cb }
                if a.isEmpty != b.isEmpty { return a.isEmpty }
                return order.firstIndex(of: a)! > order.firstIndex(of: b)!
            }!
            let distinct = order.filter { !$0.isEmpty }.count
            if distinct > 1 {
                note =
                    "\(distinct) different files are named \(first.fileName); chose sha256 \(chosenKey.prefix(12))… "
                    + "held by \(groups[chosenKey]!.count) peer(s) (use --sha256 to pick another)"
            }
        }
        let sources = groups[chosenKey]!
        return DownloadPlan(
            fileName: sources[0].fileName, sha256: chosenKey.isEmpty ? nil : chosenKey, size: sources[0].meta.size,
            sources: sources, note: note)
    }
}

public enum DownloadPlanError: Error, Equatable, CustomStringConvertible {
    case noSource
    case noSourceWithHash(String)

    public var description: String {
        switch self {
        case .noSource: "no other peer shares it"
        case .noSourceWithHash(let hash): "no peer shares a file with sha256 \(hash)"
        }
    }
}
