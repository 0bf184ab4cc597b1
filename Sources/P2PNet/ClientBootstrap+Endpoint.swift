import NIOCore
import NIOPosix
import P2PProtocol

extension ClientBootstrap {
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
