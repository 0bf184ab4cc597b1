/// Why a cluster key file cannot be used. Worded to finish "ClusterKeyFile=PATH: …", so the
/// admin can fix it from the one line the daemon prints before exiting with status 78.
public enum ClusterKeyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file could not be opened or read (errno text).
    case unreadable(String)
    /// Not a regular file (a folder, a device, a socket).
    case notARegularFile
    /// Group- or world-accessible beyond what the daemon's group needs: the key would leak to
    /// every local user. Carries the file's permission bits.
    case accessibleToOthers(mode: UInt32)
    /// Fewer key bytes than ``ClusterKey/minimumBytes``; `hex` tells which form was read.
    case tooShort(bytes: Int, hex: Bool)
    /// Larger than ``ClusterKey/maximumFileBytes``: not a key file.
    case tooLong(bytes: Int)

    public var description: String {
        switch self {
        case .unreadable(let reason):
            return "cannot read the key file: \(reason)"
        case .notARegularFile:
            return "the key file is not a regular file"
        case .accessibleToOthers(let mode):
            let octal = String(mode & 0o7777, radix: 8)
            return "the key file is accessible to other users (mode \(octal)); chmod 0640 (owner root, group p2p)"
        case .tooShort(let bytes, let hex):
            let form = hex ? "\(bytes * 2) hex digits (\(bytes) bytes)" : "\(bytes) bytes"
            return "the key is \(form); a cluster key needs at least \(ClusterKey.minimumBytes) random bytes "
                + "(\(ClusterKey.minimumBytes * 2) hex digits)"
        case .tooLong(let bytes):
            return "the key file is \(bytes) bytes; a key file holds at most \(ClusterKey.maximumFileBytes)"
        }
    }
}
