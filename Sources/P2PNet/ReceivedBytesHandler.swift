import NIOCore
import Synchronization

/// Hands the bytes a client connection receives to the one task reading them, in order, and
/// stops reading from the socket while that task lags behind.
///
/// `NIOAsyncChannel` does the same but closes its channel when its scope ends; a connection that
/// outlives one download (kept for the next request to the same peer) needs a reader that does
/// not own the channel. Reads are held back (the outbound `read` is not passed on) once `highWater`
/// bytes wait, so a slow disk slows the sender instead of filling memory; the mark is about what
/// `NIOAsyncChannel` buffers by default (10 reads of up to 1 MiB), so a big file keeps the socket
/// read ahead of the disk as before.
final class ReceivedBytesHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// Bytes received and not yet taken above which the socket is not read.
    static let highWater = 8 << 20

    private var received = CircularBuffer<ByteBuffer>()
    private var receivedBytes = 0
    /// Set once the stream ended: nil for an orderly end (EOF, close), else the error.
    private var ending: Result<Void, Error>?
    private var waiting: EventLoopPromise<ByteBuffer?>?
    private var readHeld = false
    private var context: ChannelHandlerContext?
    /// Chunks received and not yet taken, readable from any thread.
    let unread: UnreadChunks

    init(unread: UnreadChunks) {
        self.unread = unread
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    /// The next bytes received, nil after an orderly end; fails after a connection error.
    /// Must run on the channel's event loop.
    func take(_ promise: EventLoopPromise<ByteBuffer?>) {
        if let first = takeBuffered() {
            promise.succeed(first)
        } else if let ending {
            switch ending {
            case .success: promise.succeed(nil)
            case .failure(let error): promise.fail(error)
            }
        } else {
            precondition(waiting == nil, "one reader at a time")
            waiting = promise
        }
    }

    /// The oldest bytes received and not taken yet, if any. Must run on the channel's event loop:
    /// a reader there gets them without a promise or a suspension.
    func takeBuffered() -> ByteBuffer? {
        guard let first = received.popFirst() else { return nil }
        receivedBytes -= first.readableBytes
        unread.count.subtract(1, ordering: .relaxed)
        if readHeld, receivedBytes < Self.highWater, let context {
            readHeld = false
            context.read()
        }
        return first
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let bytes = unwrapInboundIn(data)
        if let waiting {
            self.waiting = nil
            waiting.succeed(bytes)
        } else {
            received.append(bytes)
            receivedBytes += bytes.readableBytes
            unread.count.add(1, ordering: .relaxed)
        }
    }

    func read(context: ChannelHandlerContext) {
        if receivedBytes >= Self.highWater {
            readHeld = true
        } else {
            context.read()
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        end(.success(()))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        end(.failure(error))
        context.close(promise: nil)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? IdleStateHandler.IdleStateEvent, event == .read {
            end(.failure(TimedOut()))
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    /// The end of the stream; the first one wins. A reader waiting gets it after the bytes before it.
    private func end(_ result: Result<Void, Error>) {
        guard ending == nil else { return }
        ending = result
        if let waiting {
            self.waiting = nil
            take(waiting)
        }
    }

    /// The read timeout (of the `IdleStateHandler` in front of this one) ended the connection.
    struct TimedOut: Error {}
}

/// How many received chunks wait for the reader: a connection about to be kept must have none
/// (more bytes than the last reply announced mean the peer and we disagree on where it ended).
final class UnreadChunks: Sendable {
    let count = Atomic<Int>(0)
}
