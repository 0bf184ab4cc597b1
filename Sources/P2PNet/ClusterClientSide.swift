import NIOCore
import P2PCluster
import P2PProtocol

/// The client half of the cluster handshake on an open connection, shared by the index client
/// and the obtain client: send the hello, read the challenge line, check the server's proof.
/// Returns the proof line for the caller to send in front of its request.
enum ClusterClientSide {
    /// For a connection whose inbound side yields whole lines (the index client's).
    static func proofLine(
        key: ClusterKey, service: ClusterService, server: String,
        lines: inout NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator,
        outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    ) async throws -> [UInt8] {
        let handshake = ClusterClientHandshake(key: key, service: service, server: server)
        try await outbound.write(ByteBuffer(bytes: handshake.hello.encodedLine()))
        guard let line = try await lines.next() else { throw ClientError.connectionClosed(server) }
        return try handshake.answer(try parse(line)).encodedLine()
    }

    /// For a raw byte stream (the obtain client's): reads up to the first newline; bytes after it
    /// stay in `buffered` for the caller.
    static func proofLine(
        key: ClusterKey, service: ClusterService, server: String, connection: PeerConnection,
        buffered: inout ByteBuffer
    ) async throws -> [UInt8] {
        let handshake = ClusterClientHandshake(key: key, service: service, server: server)
        connection.send(handshake.hello.encodedLine())
        while true {
            if let newline = buffered.readableBytesView.firstIndex(of: 0x0A) {
                let line = buffered.readSlice(length: newline - buffered.readerIndex)!
                buffered.moveReaderIndex(forwardBy: 1)
                return try handshake.answer(try parse(line)).encodedLine()
            }
            guard buffered.readableBytes <= 64 << 10 else { throw ClientError.headerTooLong(server) }
            guard var chunk = try await connection.next() else { throw ClientError.connectionClosed(server) }
            buffered.writeBuffer(&chunk)
        }
    }

    private static func parse(_ line: ByteBuffer) throws(ProtocolError) -> Envelope {
        try line.withUnsafeReadableBytes { bytes throws(ProtocolError) in try Envelope(line: bytes) }
    }
}
