import P2PProtocol

/// A directory entry in a served folder that the catalog does not serve, and why; reported so the
/// daemon can log it (once: see ``CatalogUpdate/newlySkipped``) and the admin can fix it.
///
/// Hidden files (leading `.`) and in-progress downloads (`*.part`) are skipped silently: they are
/// expected there and are not mistakes.
public struct SkippedFile: Hashable, Sendable, CustomStringConvertible {
    public enum Reason: Hashable, Sendable, CustomStringConvertible {
        /// The name is not a valid ``FileName``.
        case invalidName(FileNameError)
        /// A symbolic link, something other than a regular file, or a hard-linked file.
        case refused(SafeOpenError)
        /// `stat`, `open` or `read` failed.
        case unreadable(SystemError)
        /// The file changed while it was being hashed (still being written by something that does not
        /// close it); it is tried again at the next refresh.
        case changedWhileHashing

        public var description: String {
            switch self {
            case .invalidName(let error): return error.reason
            case .refused(let error): return error.reason
            case .unreadable(let error): return error.description
            case .changedWhileHashing: return "changed while being hashed; will retry"
            }
        }
    }

    public var folder: ServedFolder
    /// The entry's name exactly as `readdir` returned it (possibly not UTF-8).
    public var rawName: [UInt8]
    public var reason: Reason

    public init(folder: ServedFolder, rawName: [UInt8], reason: Reason) {
        self.folder = folder
        self.rawName = rawName
        self.reason = reason
    }

    /// The name escaped for display.
    public var displayName: String { EscapedBytes.quoted(rawName) }

    public var description: String { "\(folder)/\(EscapedBytes.escaped(rawName)): \(reason)" }
}
