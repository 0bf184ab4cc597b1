/// `OBTAIN_REQUEST` / `REPLICATE_REQUEST`: ask a peer for a file's bytes.
public struct ObtainRequest: Sendable, Equatable {
    public var fileName: String?
    /// Ours: fetch by content, so a download can fail over to any peer holding the same bytes.
    public var sha256: String?
    /// Ours: resume from this byte. The reply echoes it; a reply without the echo comes from a
    /// seed peer, which streams from byte 0, and the client must start over.
    public var offset: Int64?
    /// Ours: the client would like to send its next request on the same connection. A server that
    /// agrees echoes it in an "ok" reply and, after the body, reads the next request instead of
    /// closing; a seed peer ignores it and closes as always.
    public var keepAlive: Bool

    public init(fileName: String?, sha256: String? = nil, offset: Int64? = nil, keepAlive: Bool = false) {
        self.fileName = fileName
        self.sha256 = sha256
        self.offset = offset
        self.keepAlive = keepAlive
    }

    public init(payload: JSONValue) throws(ProtocolError) {
        fileName = payload["file_name"]?.stringValue
        if let digest = payload["sha256"]?.stringValue {
            guard let normalized = SHA256Hex.normalized(digest) else {
                throw .invalidField("sha256", "expected 64 hex digits")
            }
            sha256 = normalized
        }
        guard fileName != nil || sha256 != nil else { throw .missingField("file_name") }
        if let offset = payload["offset"], !offset.isNull {
            guard let value = offset.int64Value, value >= 0 else {
                throw .invalidField("offset", "expected a non-negative integer")
            }
            self.offset = value
        }
        // Anything but `true` (absent, null, false, another type) keeps the one-request connection.
        keepAlive = payload["keep_alive"]?.boolValue ?? false
    }

    /// A request exactly as the seed client sends it. Its client reads the reply header in 4 KiB
    /// reads and drops what follows the newline in the same read, so such requests get a padded
    /// header (see `ObtainResponse.encodedHeader(padTo:)`).
    public var isSeedFormat: Bool { sha256 == nil && offset == nil }

    public var payload: JSONValue {
        var members: [(String, JSONValue)] = []
        if let fileName { members.append(("file_name", .string(fileName))) }
        if let sha256 { members.append(("sha256", .string(sha256))) }
        if let offset { members.append(("offset", .int(offset))) }
        if keepAlive { members.append(("keep_alive", true)) }
        return .object(members)
    }
}

/// The header of a successful `OBTAIN_RESPONSE` / `REPLICATE_RESPONSE`; exactly
/// `fileSize - (offset ?? 0)` raw bytes follow it on the connection.
public struct ObtainResponse: Sendable, Equatable {
    public var fileName: String
    /// The size of the whole file, whatever the offset.
    public var fileSize: Int64
    public var chunkSize: Int
    public var offset: Int64?
    public var sha256: String?
    /// Ours: the server keeps the connection open after the body for the client's next request.
    /// Only an echo of the request's `keep_alive`; absent, the server closes after the body.
    public var keepAlive: Bool

    public init(
        fileName: String, fileSize: Int64, chunkSize: Int, offset: Int64? = nil, sha256: String? = nil,
        keepAlive: Bool = false
    ) {
        self.fileName = fileName
        self.fileSize = fileSize
        self.chunkSize = chunkSize
        self.offset = offset
        self.sha256 = sha256
        self.keepAlive = keepAlive
    }

    public init(payload: JSONValue) throws(ProtocolError) {
        if let code = ReplyStatus.errorCode(of: payload) { throw .invalidField("status", code) }
        guard let size = payload["file_size"]?.int64Value, size >= 0 else {
            throw .invalidField("file_size", "expected a non-negative integer")
        }
        fileName = payload["file_name"]?.stringValue ?? ""
        fileSize = size
        chunkSize = Int(payload["chunk_size"]?.int64Value ?? 1 << 20)
        if let offset = payload["offset"]?.int64Value {
            guard offset >= 0, offset <= size else { throw .invalidField("offset", "expected 0...file_size") }
            self.offset = offset
        }
        sha256 = payload["sha256"]?.stringValue.flatMap(SHA256Hex.normalized)
        keepAlive = payload["keep_alive"]?.boolValue ?? false
    }

    /// The number of raw bytes that follow the header.
    public var bodyLength: Int64 { fileSize - (offset ?? 0) }

    public var payload: JSONValue {
        var members: [(String, JSONValue)] = [
            ("status", "ok"),
            ("file_name", .string(fileName)),
            ("file_size", .int(fileSize)),
            ("chunk_size", .int(Int64(chunkSize))),
        ]
        if let offset { members.append(("offset", .int(offset))) }
        if let sha256 { members.append(("sha256", .string(sha256))) }
        if keepAlive { members.append(("keep_alive", true)) }
        return .object(members)
    }
}

extension Envelope {
    /// The header line, padded with spaces before its newline to `length` bytes when it is
    /// shorter. JSON ignores the spaces; a seed client's single 4 KiB read then ends exactly at the
    /// newline and loses no file bytes.
    public func encodedLine(padTo length: Int) -> [UInt8] {
        var bytes = encodedLine()
        if bytes.count < length {
            bytes.removeLast()
            bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: length - bytes.count - 1))
            bytes.append(0x0A)
        }
        return bytes
    }
}
