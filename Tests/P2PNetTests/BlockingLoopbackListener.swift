import Foundation
import P2PProtocol
import Synchronization

/// A TCP listener on 127.0.0.1 (ephemeral port) for scripted test servers: each accepted
/// connection is handed to `serve` on a thread of its own and closed when it returns. Counts the
/// connections it accepts, so tests can tell whether a client reused one.
final class BlockingLoopbackListener: Sendable {
    let endpoint: PeerEndpoint
    private let descriptor: Int32
    private let accepted = Atomic<Int>(0)

    var connectionsAccepted: Int { accepted.load(ordering: .relaxed) }

    init(serve: @escaping @Sendable (Int32) -> Void) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard fd >= 0, bound == 0, listen(fd, 16) == 0 else { throw POSIXError(.EADDRINUSE) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        descriptor = fd
        endpoint = PeerEndpoint(host: "127.0.0.1", port: Int(UInt16(bigEndian: address.sin_port)))
        Thread.detachNewThread { [self] in acceptLoop(serve) }
    }

    /// Stops listening; the accept thread closes the descriptor once its `accept` fails. Closing it
    /// here instead would let the number be reused by the next test's listener while this thread
    /// still accepts on it, counting the other server's connections as its own.
    func stop() {
        shutdown(descriptor, Int32(SHUT_RDWR))
    }

    private func acceptLoop(_ serve: @escaping @Sendable (Int32) -> Void) {
        while true {
            let client = accept(descriptor, nil, nil)
            guard client >= 0 else {
                close(descriptor)
                return
            }
            accepted.add(1, ordering: .relaxed)
            Thread.detachNewThread {
                defer { close(client) }
                serve(client)
            }
        }
    }
}
