import Logging
import NIOCore
import P2PProtocol

/// Serves OBTAIN and REPLICATE requests on one connection: header line, then the bytes, then close
/// — or, when the request asked `keep_alive` and the reply is "ok", wait for the next request.
///
/// A kept connection saves a client that fetches many small files from us a TCP connect, accept
/// and close per file, which cost more than sending a few KiB. It is closed when it stays idle for
/// `keepAliveIdle`, on any error reply, on any failed transfer, and when the client sends a line
/// before the body it is receiving has ended (a client that pipelines does not follow the rules).
///
/// The body goes out with sendfile in chunks, each written after the previous one completed, so
/// a slow receiver holds back the sender (no unbounded buffering), a rate limit is a pause between
/// chunks, and a receiver that stops reading is cut off after `stallTimeout`. With a limit per
/// peer, each chunk also waits for its slot in the ``UploadPacer`` shared by every upload to the
/// same remote address; a chunk goes at the later of the two times.
final class ObtainHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = IOData

    struct Settings: Sendable {
        var chunkSize: Int
        var rateLimit: Int64
        /// Bytes per second for all uploads to one remote address together; 0 means off.
        var peerRateLimit: Int64 = 0
        var stallTimeout: TimeAmount
        /// How long a kept connection may wait for its next request.
        var keepAliveIdle: TimeAmount = .seconds(5)

        /// Bytes per sendfile write. The stall timer runs per write, so a write must be small
        /// enough for a slow but live receiver to finish it in time (256 KiB in 30 s is 8.5 KiB/s);
        /// under a rate limit, about a twentieth of a second's worth keeps the flow smooth (and,
        /// per peer, keeps one connection's reserved slot from delaying the others for long).
        var writeSize: Int64 {
            var size = min(Int64(chunkSize), 256 << 10)
            if rateLimit > 0 { size = min(size, max(rateLimit / 20, 16 << 10)) }
            if peerRateLimit > 0 { size = min(size, max(peerRateLimit / 20, 16 << 10)) }
            return size
        }
    }

    private let files: any ServedFiles
    private let settings: Settings
    private let pacer: UploadPacer?
    private let counters: TransferCounters
    private let logger: Logger
    /// A request is being handled (from its line to the end of its body or its error reply).
    private var started = false
    /// A line arrived while a kept transfer was running: the connection closes after it.
    private var lineDuringTransfer = false
    /// Closes a kept connection that waits too long for its next request.
    private var idleClose: Scheduled<Void>?
    /// Uploads begun on this connection, logged with each: 1 is a new connection, more a kept one.
    private var uploadsOnConnection = 0

    /// - Parameter pacer: the schedule shared by all uploads per remote address, nil without a
    ///   limit per peer.
    init(
        files: any ServedFiles, settings: Settings, pacer: UploadPacer? = nil, counters: TransferCounters,
        logger: Logger
    ) {
        self.files = files
        self.settings = settings
        self.pacer = pacer
        self.counters = counters
        self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let line = unwrapInboundIn(data)
        guard !started else {
            if line.readableBytes > 0, upload?.keepAlive == true { lineDuringTransfer = true }
            return
        }
        if line.readableBytes == 0 { return }
        started = true
        idleClose?.cancel()
        idleClose = nil
        let remote = context.remoteAddress?.description ?? "?"
        let envelope: Envelope
        let request: ObtainRequest
        do throws(ProtocolError) {
            envelope = try line.withUnsafeReadableBytes { bytes throws(ProtocolError) in try Envelope(line: bytes) }
            guard envelope.messageType == .obtainRequest || envelope.messageType == .replicateRequest else {
                throw ProtocolError.unknownType(envelope.type)
            }
            request = try ObtainRequest(payload: envelope.payload)
        } catch {
            logger.debug("bad obtain request", metadata: ["remote": "\(remote)", "error": "\(error)"])
            let type: MessageType =
                switch error {
                case .unknownType, .invalidJSON, .notAnObject: .errorResponse
                default: MessageType(rawValue: envelopeType(line) ?? "")?.responseType ?? .obtainResponse
                }
            replyError(context: context, type: type, code: error.code, requestID: nil)
            return
        }
        let replyType = envelope.messageType!.responseType
        let file: ServedFile
        do {
            file = try files.open(request)
        } catch {
            logger.info(
                "refused a request",
                metadata: ["remote": "\(remote)", "file_name": "\(request.fileName ?? "")", "error": "\(error)"])
            replyError(
                context: context, type: replyType, code: error.code, requestID: envelope.requestID,
                fileName: request.fileName)
            return
        }
        let handle = NIOFileHandle(_deprecatedTakingOwnershipOfDescriptor: file.descriptor)
        let offset = request.offset ?? 0
        guard offset <= file.size else {
            try? handle.close()
            replyError(context: context, type: replyType, code: "offset_past_end", requestID: envelope.requestID)
            return
        }
        let header = ObtainResponse(
            fileName: file.name, fileSize: file.size, chunkSize: settings.chunkSize, offset: request.offset,
            sha256: file.sha256, keepAlive: request.keepAlive)
        let reply = envelope.reply(replyType, payload: header.payload)
        let bytes = request.isSeedFormat ? reply.encodedLine(padTo: 4096) : reply.encodedLine()
        context.write(wrapOutboundOut(.byteBuffer(context.channel.allocator.buffer(bytes: bytes))), promise: nil)
        uploadsOnConnection += 1
        logger.info(
            "serving",
            metadata: [
                "remote": "\(remote)", "file_name": "\(file.name)", "bytes": "\(file.size - offset)",
                "connection_upload": "\(uploadsOnConnection)",
            ])
        counters.uploadsInFlight.add(1, ordering: .relaxed)
        let peer = context.remoteAddress?.ipAddress ?? remote
        pacer?.begin(address: peer)
        upload = Upload(
            handle: handle, next: offset, end: file.size, startedAt: .now(), firstByte: offset, name: file.name,
            peer: peer, keepAlive: request.keepAlive)
        sendNext(context: context)
    }

    private struct Upload {
        var handle: NIOFileHandle
        var next: Int64
        var end: Int64
        var startedAt: NIODeadline
        var firstByte: Int64
        var name: String
        /// The remote IP, the key of this upload in the pacer.
        var peer: String
        /// The request asked to keep the connection, and the reply said yes.
        var keepAlive: Bool
    }

    private var upload: Upload?

    private func sendNext(context: ChannelHandlerContext) {
        guard let upload, upload.next < upload.end, context.channel.isActive else {
            finish(context: context, complete: context.channel.isActive)
            return
        }
        let chunk = min(settings.writeSize, upload.end - upload.next)
        let due = max(transferDue(), pacer?.reserve(chunk, for: upload.peer) ?? .now())
        if due > .now() {
            // The reply header may still be buffered: let it go now rather than with the first
            // chunk, which can wait behind the other uploads to the same address.
            context.flush()
            context.eventLoop.assumeIsolated().scheduleTask(deadline: due) { self.send(chunk, context: context) }
        } else {
            send(chunk, context: context)
        }
    }

    /// Writes the next `chunk` bytes, then schedules the following chunk.
    private func send(_ chunk: Int64, context: ChannelHandlerContext) {
        guard var upload, context.channel.isActive else {
            finish(context: context, complete: false)
            return
        }
        let region = FileRegion(
            fileHandle: upload.handle, readerIndex: Int(upload.next), endIndex: Int(upload.next + chunk))
        upload.next += chunk
        self.upload = upload
        let loop = context.eventLoop.assumeIsolated()
        let name = upload.name
        let stall = loop.scheduleTask(in: settings.stallTimeout) { [logger] in
            logger.notice("receiver stalled; closing", metadata: ["file_name": "\(name)"])
            context.close(promise: nil)
        }
        context.writeAndFlush(wrapOutboundOut(.fileRegion(region))).assumeIsolated().whenComplete { result in
            stall.cancel()
            switch result {
            case .success:
                self.counters.bytesUploaded.add(chunk, ordering: .relaxed)
                self.sendNext(context: context)
            case .failure(let error):
                self.logger.info("upload cut short", metadata: ["file_name": "\(name)", "error": "\(error)"])
                self.finish(context: context, complete: false)
            }
        }
    }

    /// When the next chunk may go so the bytes sent so far average no more than the rate limit
    /// of one transfer (the past when there is none).
    private func transferDue() -> NIODeadline {
        guard settings.rateLimit > 0, let upload else { return .distantPast }
        let sent = upload.next - upload.firstByte
        return upload.startedAt + .nanoseconds(sent * 1_000_000_000 / settings.rateLimit)
    }

    /// Ends the upload: closes the connection, or, after a `complete` kept transfer (the socket took
    /// the last byte), waits for the next request. The upload counters count transfers, so a kept
    /// connection waiting for its next request is no upload in flight.
    private func finish(context: ChannelHandlerContext, complete: Bool) {
        guard let upload else { return }
        self.upload = nil
        try? upload.handle.close()
        pacer?.end(address: upload.peer)
        counters.uploadsInFlight.subtract(1, ordering: .relaxed)
        guard complete, upload.keepAlive, !lineDuringTransfer, context.channel.isActive else {
            context.close(promise: nil)
            return
        }
        started = false
        context.flush()  // an empty body wrote only the header, not flushed yet
        idleClose = context.eventLoop.assumeIsolated().scheduleTask(in: settings.keepAliveIdle) {
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        idleClose?.cancel()
        idleClose = nil
        finish(context: context, complete: false)
        context.fireChannelInactive()
    }

    private func replyError(
        context: ChannelHandlerContext, type: MessageType, code: String, requestID: String?, fileName: String? = nil
    ) {
        let extra: [(String, JSONValue)] = fileName.map { [("file_name", .string($0))] } ?? []
        let reply = Envelope(type: type, requestID: requestID, payload: ReplyStatus.error(code, extra: extra))
        context.channel.replyAndClose(reply.encodedLine())
    }

    /// The `type` of a line that parsed as JSON but not as a valid request, for a matching reply.
    private func envelopeType(_ line: ByteBuffer) -> String? {
        line.withUnsafeReadableBytes { bytes in (try? JSONParser.parse(bytes))?["type"]?.stringValue }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? IdleStateHandler.IdleStateEvent, event == .read, !started {
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        if let tooLong = error as? FrameTooLongError, !started {
            started = true
            replyError(
                context: context, type: .errorResponse, code: ProtocolError.frameTooLong(limit: tooLong.limit).code,
                requestID: nil)
            return
        }
        context.close(promise: nil)
    }
}
