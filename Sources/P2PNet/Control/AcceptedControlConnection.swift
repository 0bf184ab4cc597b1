import NIOCore

/// What the accept loop gets for each connection: one to serve, or one to turn away.
enum AcceptedControlConnection: Sendable {
    case admitted(NIOAsyncChannel<ByteBuffer, Never>)
    /// Past `maxConnections`: told so, then closed. It holds no slot meanwhile.
    case overLimit(NIOAsyncChannel<ByteBuffer, Never>)
}
