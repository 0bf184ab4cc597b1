/// One file a peer daemon holds, for `p2pctl ls`.
public struct LocalFile: Sendable, Equatable {
    /// The daemon's folders. Shared and replicated files are served to other peers; downloaded
    /// ones are the user's and are not.
    public enum Folder: String, Sendable, CaseIterable {
        case shared
        case replicated
        case downloaded
    }

    public var name: String
    public var folder: Folder
    public var size: Int64
    /// `nil` while the file is still being hashed.
    public var sha256: String?

    public init(name: String, folder: Folder, size: Int64, sha256: String? = nil) {
        self.name = name
        self.folder = folder
        self.size = size
        self.sha256 = sha256
    }

    public init(json: JSONValue) throws(ProtocolError) {
        name = try json.requiredString("name")
        let folderName = try json.requiredString("folder")
        guard let folder = Folder(rawValue: folderName) else {
            throw .invalidField("folder", "expected shared, replicated or downloaded")
        }
        self.folder = folder
        size = try json.requiredInt64("size")
        sha256 = try json.optionalString("sha256")
    }

    public var json: JSONValue {
        .object([
            ("name", .string(name)),
            ("folder", .string(folder.rawValue)),
            ("size", .int(size)),
            ("sha256", JSONValue(sha256)),
        ])
    }
}
