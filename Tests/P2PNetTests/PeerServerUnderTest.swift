import ControlTestSupport
import NIOCore
import P2PNet
import P2PProtocol

/// A real `PeerServer` on 127.0.0.1 (a free port) serving a `ServedFolder`, with its log captured:
/// each "serving" entry says the how-manieth upload of its connection it is, so a test counts the
/// connections the server accepted for uploads.
struct PeerServerUnderTest {
    let folder: ServedFolder
    let logs = CapturedLogs()
    let counters = TransferCounters()
    let channel: Channel

    init(keepAliveIdle: TimeAmount = .seconds(5), folder: ServedFolder) async throws {
        self.folder = folder
        var configuration = PeerServer.Configuration(listen: .address(host: "127.0.0.1", port: 0))
        configuration.keepAliveIdle = keepAliveIdle
        channel = try await PeerServer(
            configuration: configuration, files: folder, counters: counters, logger: logs.logger()
        ).bind()
    }

    var port: Int { channel.localAddress!.port! }
    var endpoint: PeerEndpoint { PeerEndpoint(host: "127.0.0.1", port: port) }

    /// Uploads begun, and how many of them opened their connection (the first on it).
    var uploads: (total: Int, firstOnConnection: Int) {
        let serving = logs.all.filter { $0.message == "serving" }
        return (serving.count, serving.filter { $0.metadata["connection_upload"] == "1" }.count)
    }

    func stop() async {
        try? await channel.close()
    }
}
