/// A finished download or replication, as the daemon reports it.
public struct DownloadOutcome: Sendable, Equatable {
    public var fileName: String
    /// Absolute path of the finished file in the daemon's `downloaded/` or `replicated/` folder;
    /// `p2pctl download --to DIR` copies it from there as the calling user.
    public var path: String
    public var size: Int64
    /// The verified digest, or the one computed when the index had none.
    public var sha256: String?
    /// False when the index had no SHA-256 to check against (a seed peer's file): the size
    /// matched, and that is all anyone knows. p2pctl then says "unverified".
    public var verified: Bool
    /// Bytes of an earlier `.part` that were kept; 0 for a fresh download.
    public var resumedFrom: Int64
    /// Peer ids the bytes came from, in order (more than one after a failover).
    public var sources: [String]
    /// Something the user should know, e.g. "3 different files are named x; chose sha256 … held
    /// by 2 peers".
    public var note: String?

    public init(
        fileName: String, path: String, size: Int64, sha256: String?, verified: Bool, resumedFrom: Int64 = 0,
        sources: [String], note: String? = nil
    ) {
        self.fileName = fileName
        self.path = path
        self.size = size
        self.sha256 = sha256
        self.verified = verified
        self.resumedFrom = resumedFrom
        self.sources = sources
        self.note = note
    }

    public init(json: JSONValue) throws(ProtocolError) {
        fileName = try json.requiredString("file_name")
        path = try json.requiredString("path")
        size = try json.requiredInt64("size")
        sha256 = try json.optionalString("sha256")
        verified = try json.requiredBool("verified")
        resumedFrom = json["resumed_from"]?.int64Value ?? 0
        var sources: [String] = []
        for element in try json.requiredArray("sources") {
            guard let source = element.stringValue else { throw .invalidField("sources", "expected strings") }
            sources.append(source)
        }
        self.sources = sources
        note = try json.optionalString("note")
    }

    public var json: JSONValue {
        var members: [(String, JSONValue)] = [
            ("file_name", .string(fileName)),
            ("path", .string(path)),
            ("size", .int(size)),
            ("sha256", JSONValue(sha256)),
            ("verified", .bool(verified)),
            ("resumed_from", .int(resumedFrom)),
            ("sources", .array(sources.map(JSONValue.string))),
        ]
        if let note { members.append(("note", .string(note))) }
        return .object(members)
    }
}
