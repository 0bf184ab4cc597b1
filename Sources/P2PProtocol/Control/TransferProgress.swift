/// How far a download has come: the payload of a `progress` event line,
/// `{"event": "progress", "bytes": n, "total": n, "source": "peer1"}`.
public struct TransferProgress: Sendable, Equatable {
    /// Bytes of the file on disk so far, a resumed part included.
    public var bytes: Int64
    /// The whole file's size.
    public var total: Int64
    /// The peer id the bytes are coming from now; it changes when a source fails over.
    public var source: String

    public init(bytes: Int64, total: Int64, source: String) {
        self.bytes = bytes
        self.total = total
        self.source = source
    }

    public init(json: JSONValue) throws(ProtocolError) {
        bytes = try json.requiredInt64("bytes")
        total = try json.requiredInt64("total")
        source = try json.optionalString("source") ?? ""
    }

    public var json: JSONValue {
        .object([
            ("event", "progress"),
            ("bytes", .int(bytes)),
            ("total", .int(total)),
            ("source", .string(source)),
        ])
    }
}
