/// Where a peer serves files: the `peer` object of registrations and search results.
public struct PeerEndpoint: Sendable, Equatable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    public init(json: JSONValue) throws(ProtocolError) {
        guard let host = json["host"]?.stringValue, !host.isEmpty, host.utf8.count <= 255 else {
            throw .invalidField("peer.host", "expected a host name or address")
        }
        guard let port = json["port"]?.int64Value, (1...65535).contains(port) else {
            throw .invalidField("peer.port", "expected an integer 1-65535")
        }
        self.host = host
        self.port = Int(port)
    }

    public var json: JSONValue { .object([("host", .string(host)), ("port", .int(Int64(port)))]) }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
