/// Where a peer finds the index: section `[Index]` of `peer.conf` / `peers/<id>.conf`.
public struct IndexEndpoint: Sendable, Equatable {
    /// `Host=`, default `127.0.0.1`: the seed's index address; an index on another machine needs
    /// its name or address here.
    public var host: String
    /// `Port=`, default `7000`: the index daemon's default port. `P2P_INDEX_PORT` sets both this
    /// and the index daemon's own `[Index] Port`, so one variable keeps a scratch setup consistent.
    public var port: Int

    /// Creates an endpoint; arguments default to the built-in defaults.
    public init(host: String = "127.0.0.1", port: Int = 7000) {
        self.host = host
        self.port = port
    }
}
