import Logging
import NIOCore
import P2PProtocol

extension ConnectionLimiter {
    /// How one server words a refusal: what a connection is to it, the reply type its clients
    /// wait for, and the error code for each limit.
    struct RefusalWording: Sendable {
        var connection: String
        var replyType: MessageType
        var overLimit: String
        var overClientLimit: String
    }

    /// Takes a slot for `channel`, or logs why not and makes the refusal line its whole pipeline.
    /// Returns nil when the channel was admitted (the caller builds its pipeline), else the future
    /// of the refusal pipeline.
    func refuseIfOverLimit(
        _ channel: Channel, wording: RefusalWording, logger: Logger
    ) -> EventLoopFuture<Void>? {
        let admission = admission(of: channel)
        guard admission != .admitted else { return nil }
        let perClient = admission == .clientFull
        logger.warning(
            "refusing \(wording.connection): \(perClient ? "limit per client address" : "limit") reached",
            metadata: [
                "remote": "\(channel.remoteAddress?.description ?? "?")",
                "limit": "\(perClient ? perClientLimit : limit)",
            ])
        let reason = perClient ? wording.overClientLimit : wording.overLimit
        let refusal = Envelope(type: wording.replyType, payload: ReplyStatus.error(reason))
        return channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(RefusalHandler(line: refusal.encodedLine()))
        }
    }
}
