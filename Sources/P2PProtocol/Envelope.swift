/// One protocol message: a JSON object on one line.
///
/// The seed wraps every payload as `{"type", "timestamp", "version", "peer_id", "request_id",
/// "payload"}`; we read and write exactly that, so seed peers and scripts keep working.
public struct Envelope: Sendable, Equatable {
    /// Kept as text so an unknown type can still be named in the error reply.
    public var type: String
    public var timestamp: Int64
    public var version: String
    public var peerID: String?
    public var requestID: String?
    public var payload: JSONValue

    public init(
        type: MessageType, peerID: String? = nil, requestID: String? = nil, payload: JSONValue,
        timestamp: Int64 = WallClock.millisecondsSinceEpoch()
    ) {
        self.type = type.rawValue
        self.timestamp = timestamp
        self.version = "1.0"
        self.peerID = peerID
        self.requestID = requestID
        self.payload = payload
    }

    /// The known message type, or `nil` for a type this build does not speak.
    public var messageType: MessageType? { MessageType(rawValue: type) }

    /// Reads an envelope from one line (without its newline).
    public init(line: UnsafeRawBufferPointer) throws(ProtocolError) {
        let document: JSONValue
        do {
            document = try JSONParser.parse(line)
        } catch {
            throw .invalidJSON(error.description)
        }
        try self.init(document: document)
    }

    public init(line: String) throws(ProtocolError) {
        var bytes = Array(line.utf8)
        if bytes.last == 0x0A { bytes.removeLast() }
        let result: Result<Envelope, ProtocolError> = bytes.withUnsafeBytes { raw in
            do throws(ProtocolError) { return .success(try Envelope(line: raw)) } catch { return .failure(error) }
        }
        self = try result.get()
    }

    public init(document: JSONValue) throws(ProtocolError) {
        guard case .object = document else { throw .notAnObject }
        guard let type = document["type"]?.stringValue else { throw .missingField("type") }
        self.type = type
        self.timestamp = document["timestamp"]?.int64Value ?? 0
        self.version = document["version"]?.stringValue ?? "1.0"
        self.peerID = document["peer_id"]?.stringValue
        self.requestID = document["request_id"]?.stringValue
        let payload = document["payload"] ?? .object([])
        guard case .object = payload else { throw .invalidField("payload", "expected an object") }
        self.payload = payload
    }

    public var document: JSONValue {
        .object([
            ("type", .string(type)),
            ("timestamp", .int(timestamp)),
            ("version", .string(version)),
            ("peer_id", JSONValue(peerID)),
            ("request_id", JSONValue(requestID)),
            ("payload", payload),
        ])
    }

    /// The line to send: compact JSON and the terminating newline.
    public func encodedLine() -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(256)
        document.write(into: &bytes)
        bytes.append(0x0A)
        return bytes
    }

    /// A reply to this request carrying its `request_id`, so pipelining clients can match them.
    public func reply(_ type: MessageType, peerID: String? = nil, payload: JSONValue) -> Envelope {
        Envelope(type: type, peerID: peerID, requestID: requestID, payload: payload)
    }
}
