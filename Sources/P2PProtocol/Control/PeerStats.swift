/// A peer daemon's counters, for `p2pctl stats`.
public struct PeerStats: Sendable, Equatable {
    public var peerID: String
    public var filesShared: Int
    public var filesReplicated: Int
    public var bytesUploaded: Int64
    public var bytesDownloaded: Int64
    /// Bytes per second over the daemon's recent window.
    public var uploadRate: Int64
    /// Bytes per second over the daemon's recent window.
    public var downloadRate: Int64
    public var uploadsInFlight: Int
    public var downloadsInFlight: Int
    public var downloadsCompleted: Int64
    public var downloadsFailed: Int64
    public var indexReachable: Bool

    public init(
        peerID: String, filesShared: Int = 0, filesReplicated: Int = 0, bytesUploaded: Int64 = 0,
        bytesDownloaded: Int64 = 0, uploadRate: Int64 = 0, downloadRate: Int64 = 0, uploadsInFlight: Int = 0,
        downloadsInFlight: Int = 0, downloadsCompleted: Int64 = 0, downloadsFailed: Int64 = 0,
        indexReachable: Bool = false
    ) {
        self.peerID = peerID
        self.filesShared = filesShared
        self.filesReplicated = filesReplicated
        self.bytesUploaded = bytesUploaded
        self.bytesDownloaded = bytesDownloaded
        self.uploadRate = uploadRate
        self.downloadRate = downloadRate
        self.uploadsInFlight = uploadsInFlight
        self.downloadsInFlight = downloadsInFlight
        self.downloadsCompleted = downloadsCompleted
        self.downloadsFailed = downloadsFailed
        self.indexReachable = indexReachable
    }

    public init(json: JSONValue) throws(ProtocolError) {
        peerID = try json.requiredString("peer_id")
        filesShared = try json.requiredInt("files_shared")
        filesReplicated = try json.requiredInt("files_replicated")
        bytesUploaded = try json.requiredInt64("bytes_uploaded")
        bytesDownloaded = try json.requiredInt64("bytes_downloaded")
        uploadRate = try json.requiredInt64("upload_rate")
        downloadRate = try json.requiredInt64("download_rate")
        uploadsInFlight = try json.requiredInt("uploads_in_flight")
        downloadsInFlight = try json.requiredInt("downloads_in_flight")
        downloadsCompleted = try json.requiredInt64("downloads_completed")
        downloadsFailed = try json.requiredInt64("downloads_failed")
        indexReachable = try json.requiredBool("index_reachable")
    }

    public var json: JSONValue {
        .object([
            ("peer_id", .string(peerID)),
            ("files_shared", .int(Int64(filesShared))),
            ("files_replicated", .int(Int64(filesReplicated))),
            ("bytes_uploaded", .int(bytesUploaded)),
            ("bytes_downloaded", .int(bytesDownloaded)),
            ("upload_rate", .int(uploadRate)),
            ("download_rate", .int(downloadRate)),
            ("uploads_in_flight", .int(Int64(uploadsInFlight))),
            ("downloads_in_flight", .int(Int64(downloadsInFlight))),
            ("downloads_completed", .int(downloadsCompleted)),
            ("downloads_failed", .int(downloadsFailed)),
            ("index_reachable", .bool(indexReachable)),
        ])
    }
}
