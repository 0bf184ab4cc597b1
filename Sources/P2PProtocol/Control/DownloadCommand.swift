/// What to download: a name, a SHA-256, or both.
///
/// A name alone may match several different files; the daemon then picks the hash with the most
/// sources and says so in `DownloadOutcome.note`. A hash alone, or with the name, picks one file.
public struct DownloadCommand: Sendable, Equatable {
    public var fileName: String?
    /// Lower-case hex; normalised on the way in.
    public var sha256: String?

    public init(fileName: String? = nil, sha256: String? = nil) {
        self.fileName = fileName
        self.sha256 = sha256
    }

    /// Reads `file_name` and `sha256` from a request; at least one is required.
    public init(json: JSONValue) throws(ProtocolError) {
        fileName = try json.optionalString("file_name")
        if let fileName, let problem = NameRules.fileNameProblem(fileName) {
            throw .invalidField("file_name", problem)
        }
        if let digest = try json.optionalString("sha256") {
            guard let normalized = SHA256Hex.normalized(digest) else {
                throw .invalidField("sha256", "expected 64 hex digits")
            }
            sha256 = normalized
        }
        guard fileName != nil || sha256 != nil else { throw .missingField("file_name or sha256") }
    }

    public var json: JSONValue {
        var members: [(String, JSONValue)] = []
        if let fileName { members.append(("file_name", .string(fileName))) }
        if let sha256 { members.append(("sha256", .string(sha256))) }
        return .object(members)
    }
}
