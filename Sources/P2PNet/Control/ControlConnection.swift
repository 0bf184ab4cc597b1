import Logging
import NIOCore
import P2PProtocol

/// One client of the control socket: checks who it is, then answers its requests in order, one
/// at a time, until it closes the connection or goes idle.
///
/// Replies are written with `writeAndFlush` and awaited, so every line is in the kernel before the
/// next is sent and before the connection closes: a long reply is never cut off, and a slow reader
/// slows the writer instead of growing a buffer.
struct ControlConnection: Sendable {
    let channel: NIOAsyncChannel<ByteBuffer, Never>
    let controller: any PeerController
    let policy: ControlAccessPolicy
    let idleTimeout: TimeAmount
    let logger: Logger

    func run() async {
        var logger = logger
        do {
            try await channel.executeThenClose { inbound in
                let caller = try await PeerCredentials.read(from: channel.channel)
                logger[metadataKey: "remote_uid"] = "\(caller.uid)"
                logger[metadataKey: "remote_pid"] = "\(caller.pid)"
                if let refusal = policy.refusal(for: caller) {
                    logger.warning("refusing a control connection", metadata: ["reason": "\(refusal)"])
                    try await write(.failure(refusal))
                    return
                }
                try await serveRequests(inbound, logger: logger)
            }
        } catch {
            logger.debug("control connection ended", metadata: ["error": "\(error)"])
        }
    }

    private func serveRequests(
        _ inbound: NIOAsyncChannelInboundStream<ByteBuffer>, logger: Logger
    ) async throws {
        var lines = inbound.makeAsyncIterator()
        while true {
            // Idle only counts while waiting for a request: a long download is not idleness.
            let channel = self.channel.channel
            let idle = channel.eventLoop.scheduleTask(in: idleTimeout) {
                logger.debug("closing an idle control connection")
                channel.close(promise: nil)
            }
            let line: ByteBuffer?
            do {
                defer { idle.cancel() }
                line = try await lines.next()
            } catch let error as FrameTooLongError {
                logger.notice("refusing an oversized control line", metadata: ["limit": "\(error.limit)"])
                try await write(.failure(ProtocolError.frameTooLong(limit: error.limit).description))
                return
            }
            guard let line else { return }
            try await write(await respond(to: line, logger: logger))
        }
    }

    /// The final line for one request line: the reply, or the reason it failed.
    private func respond(to line: ByteBuffer, logger: Logger) async -> ControlResponseLine {
        let request: ControlRequest
        do {
            request = try ControlRequest(line: line.readableBytesView)
        } catch {
            logger.debug("bad control request", metadata: ["error": "\(error)"])
            return .failure(error.description)
        }
        var logger = logger
        logger[metadataKey: "command"] = "\(request.command.rawValue)"
        switch request {
        case .download, .replicate: logger.info("control command", metadata: ["request": "\(request.json.serialized)"])
        default: logger.debug("control command")
        }
        do {
            let reply = try await controller.respond(to: request) { event in try await write(.event(event)) }
            return .ok(reply.json)
        } catch {
            // Cancelled means the server is stopping (or the client left and reads nothing).
            if error is CancellationError || Task.isCancelled {
                logger.info("control command cancelled")
                return .failure("cancelled: the peer daemon is stopping")
            }
            logger.notice("control command failed", metadata: ["error": "\(error)"])
            return .failure(describing: error)
        }
    }

    private func write(_ line: ControlResponseLine) async throws {
        try await channel.channel.writeAndFlush(ByteBuffer(bytes: line.encodedLine())).get()
    }
}
