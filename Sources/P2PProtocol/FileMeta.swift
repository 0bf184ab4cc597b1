/// What the index knows about one shared file besides its name.
///
/// Both fields are optional because seed peers send neither; a download from such a source can
/// only be checked by size, or not at all, and the client says "unverified".
public struct FileMeta: Sendable, Equatable, Hashable {
    public var size: Int64?
    /// Lower-case hex SHA-256 of the whole file.
    public var sha256: String?

    public init(size: Int64? = nil, sha256: String? = nil) {
        self.size = size
        self.sha256 = sha256
    }

    /// Reads `size` and `sha256` from a meta object, ignoring other members. A malformed
    /// digest is dropped rather than trusted, so it can never "verify" a wrong file.
    public init(json: JSONValue) throws(ProtocolError) {
        if let size = json["size"], !size.isNull {
            guard let value = size.int64Value, value >= 0 else {
                throw .invalidField("size", "expected a non-negative integer")
            }
            self.size = value
        }
        if let digest = json["sha256"]?.stringValue {
            self.sha256 = SHA256Hex.normalized(digest)
        }
    }

    public var json: JSONValue {
        var members: [(String, JSONValue)] = []
        if let size { members.append(("size", .int(size))) }
        if let sha256 { members.append(("sha256", .string(sha256))) }
        return .object(members)
    }
}

/// Checks and normalises hex SHA-256 strings as they appear on the wire.
public enum SHA256Hex {
    /// The digest in lower case, or `nil` unless it is exactly 64 hex digits.
    public static func normalized(_ text: String) -> String? {
        guard text.utf8.count == 64 else { return nil }
        var lowered: [UInt8] = []
        lowered.reserveCapacity(64)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"): lowered.append(byte)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): lowered.append(byte + 32)
            default: return nil
            }
        }
        return String(decoding: lowered, as: UTF8.self)
    }
}
