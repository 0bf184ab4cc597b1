import NIOCore
import NIOPosix
import P2PCluster
import P2PProtocol

/// Fetches a file's bytes from another peer: one OBTAIN (or REPLICATE) exchange, on a new
/// connection or, with a pool, on one kept from an earlier exchange with the same peer.
public enum PeerClient {
    /// Sends `request`, reads the reply header and hands it with the body to `consume`.
    ///
    /// Every byte after the header's newline belongs to the body, including those that arrived
    /// in the same read as the header (the seed client loses them; we must not).
    /// With `clusterKey`, the cluster handshake comes first on a new connection (one more round trip).
    ///
    /// With `pool`, a kept connection to `endpoint` is used when there is one, and the connection
    /// goes back to the pool afterwards when the reply echoed `keep_alive` (so the request should
    /// ask for it) and `consume` returned having read the body exactly to its end; any other
    /// outcome closes it. A kept connection that fails before any byte of the reply (the peer
    /// closed it meanwhile) is replaced once by a new connection, transparently.
    /// - Throws: `ClientError.refused` when the peer answers with an error; `ClusterAuthError`
    ///   when it does not prove the same key.
    public static func obtain<Result: Sendable>(
        _ request: Envelope, from endpoint: PeerEndpoint, timeout: TimeAmount = .seconds(30),
        clusterKey: ClusterKey? = nil, pool: PeerConnectionPool? = nil,
        group: EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        consume: (ObtainResponse, inout BodyReader) async throws -> Result
    ) async throws -> Result {
        let line = request.encodedLine()
        if let pool, let kept = pool.take(endpoint) {
            do {
                return try await exchange(line, on: kept, buffered: ByteBuffer(), pool: pool, consume: consume)
            } catch let lost as KeptConnectionLost {
                _ = lost  // the peer closed it while idle: a new connection below
            }
        }
        let connection = try await PeerConnection.open(to: endpoint, timeout: timeout, group: group)
        var head = ByteBuffer()
        var opening: [UInt8] = []
        if let clusterKey {
            do {
                opening = try await ClusterClientSide.proofLine(
                    key: clusterKey, service: .peer, server: endpoint.description, connection: connection,
                    buffered: &head)
            } catch {
                connection.close()
                throw error
            }
        }
        do {
            return try await exchange(opening + line, on: connection, buffered: head, pool: pool, consume: consume)
        } catch let lost as KeptConnectionLost {
            throw lost.underlying
        }
    }

    /// One request and its reply on `connection`, which is closed or given back to `pool` after.
    /// - Throws: ``KeptConnectionLost`` when the connection ended before any byte of the reply.
    private static func exchange<Result: Sendable>(
        _ line: [UInt8], on connection: PeerConnection, buffered: ByteBuffer, pool: PeerConnectionPool?,
        consume: (ObtainResponse, inout BodyReader) async throws -> Result
    ) async throws -> Result {
        var head = buffered
        let header: ObtainResponse
        do {
            connection.send(line)
            header = try await readHeader(from: connection, into: &head)
        } catch {
            connection.close()
            if head.readableBytes == 0, !Task.isCancelled, Self.isConnectionLoss(error) {
                throw KeptConnectionLost(underlying: error)
            }
            throw error
        }
        var body = BodyReader(leftover: head, connection: connection, remaining: header.bodyLength)
        let result: Result
        do {
            result = try await consume(header, &body)
        } catch {
            connection.close()
            throw error
        }
        if let pool, header.keepAlive, body.remaining == 0, !body.overran {
            pool.giveBack(connection)
        } else {
            connection.close()
        }
        return result
    }

    /// Reads up to the header's newline; the bytes after it stay in `head`.
    private static func readHeader(from connection: PeerConnection, into head: inout ByteBuffer) async throws
        -> ObtainResponse
    {
        let endpoint = connection.endpoint
        while true {
            if let newline = head.readableBytesView.firstIndex(of: 0x0A) {
                let line = head.readSlice(length: newline - head.readerIndex)!
                head.moveReaderIndex(forwardBy: 1)
                let envelope = try line.withUnsafeReadableBytes { bytes throws(ProtocolError) in
                    try Envelope(line: bytes)
                }
                if let code = ReplyStatus.errorCode(of: envelope.payload) {
                    throw ClientError.refused(endpoint.description, code: code)
                }
                return try ObtainResponse(payload: envelope.payload)
            }
            guard head.readableBytes <= 64 << 10 else { throw ClientError.headerTooLong(endpoint.description) }
            guard var chunk = try await connection.next() else {
                throw ClientError.connectionClosed(endpoint.description)
            }
            head.writeBuffer(&chunk)
        }
    }

    /// An end of the connection (EOF, reset, a write that failed), not a reply or a timeout.
    private static func isConnectionLoss(_ error: Error) -> Bool {
        switch error {
        case let error as ClientError: if case .connectionClosed = error { true } else { false }
        case is IOError, is ChannelError: true
        default: false
        }
    }

    /// A connection ended before any byte of the reply: on a kept one, the request goes out again.
    private struct KeptConnectionLost: Error {
        var underlying: Error
    }
}

/// The raw bytes after an obtain header, ending after exactly `file_size - offset` bytes.
public struct BodyReader {
    private var leftover: ByteBuffer?
    private let connection: PeerConnection
    /// Bytes still due; a stream that ends before this reaches zero is a short transfer.
    public private(set) var remaining: Int64
    /// Bytes arrived past the announced length (dropped): the connection cannot carry another reply.
    private(set) var overran = false

    init(leftover: ByteBuffer, connection: PeerConnection, remaining: Int64) {
        self.leftover = leftover.readableBytes > 0 ? leftover : nil
        self.connection = connection
        self.remaining = remaining
        if remaining == 0, leftover.readableBytes > 0 { overran = true }
    }

    /// The next piece of the body; `nil` once all of it arrived or the connection ended
    /// (check `remaining` to tell the two apart). Bytes past the announced length are dropped.
    public mutating func next() async throws -> ByteBuffer? {
        guard remaining > 0 else { return nil }
        var chunk: ByteBuffer
        if let pending = leftover {
            chunk = pending
            leftover = nil
        } else {
            guard let next = try await connection.next() else { return nil }
            chunk = next
        }
        if Int64(chunk.readableBytes) > remaining {
            chunk = chunk.getSlice(at: chunk.readerIndex, length: Int(remaining))!
            overran = true
        }
        remaining -= Int64(chunk.readableBytes)
        return chunk
    }
}
