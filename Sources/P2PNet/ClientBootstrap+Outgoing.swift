import NIOCore
import NIOPosix
import P2PProtocol

extension ClientBootstrap {
    /// The bootstrap of every outgoing connection of ours (index, peers): on the event loop the
    /// caller runs on when it is one of `group`'s (a task on its control connection's loop then
    /// needs no thread hop), `timeout` to connect, Nagle off (requests are single lines).
    static func p2p(on group: EventLoopGroup, timeout: TimeAmount) -> ClientBootstrap {
        ClientBootstrap(group: group.any())
            .connectTimeout(timeout)
            // TCP level: .socketOption(.tcp_nodelay) would set SOL_SOCKET option 1, SO_DEBUG, which
            // needs CAP_NET_ADMIN: run as any user but root, every connection would fail.
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
    }

    /// Connects to `endpoint`, going straight to the address when its host is an IP literal.
    ///
    /// `connect(host:port:)` runs every host, even `127.0.0.1`, through getaddrinfo and the
    /// Happy Eyeballs state machine; index entries carry numeric addresses almost always, and on a
    /// download of a small file that resolution cost more than the transfer itself. Names still
    /// resolve as before.
    func connect<Output: Sendable>(
        to endpoint: PeerEndpoint, channelInitializer: @escaping @Sendable (Channel) -> EventLoopFuture<Output>
    ) async throws -> Output {
        if let address = try? SocketAddress(ipAddress: endpoint.host, port: endpoint.port) {
            return try await connect(to: address, channelInitializer: channelInitializer)
        }
        return try await connect(host: endpoint.host, port: endpoint.port, channelInitializer: channelInitializer)
    }
}
