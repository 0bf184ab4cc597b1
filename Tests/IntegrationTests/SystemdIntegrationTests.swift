import Foundation
import P2PProtocol
import Testing

extension Integration {
    /// The daemons against the two halves of systemd that need no PID 1: a `NOTIFY_SOCKET` the
    /// test binds, and `systemd-socket-activate` handing over a listening socket.
    @Suite struct SystemdIntegrationTests {
        @Test func indexReportsReadyStatusReloadAndStopping() throws {
            let notify = try NotifyListener()
            let daemon = try Daemon(
                "p2p-indexd", ["--listen-address", "127.0.0.1", "--port", "0"],
                environment: ["NOTIFY_SOCKET": notify.path])
            let port = try daemon.listeningPort()
            #expect(notify.waitFor("READY=1"))
            #expect(notify.messages.contains { $0.contains("STATUS=Listening on 127.0.0.1:\(port)") })
            daemon.signal(SIGHUP)
            #expect(notify.waitFor("RELOADING=1"))
            #expect(notify.waitFor("STATUS=Reloaded"))
            let readyCount = notify.messages.filter { $0.contains("READY=1") }.count
            #expect(readyCount == 2)
            #expect(daemon.stop() == 0)
            #expect(notify.waitFor("STOPPING=1"))
        }

        @Test func peerReportsReadyOnlyWithBothListenersThenLiveStatusAndStopping() throws {
            let cluster = try Cluster()
            try cluster.share("peer1", "a.txt", bytes: 10)
            let notify = try NotifyListener()
            let peer = try cluster.startPeer("peer1", environment: ["NOTIFY_SOCKET": notify.path])
            #expect(notify.waitFor("READY=1"))
            #expect(FileManager.default.fileExists(atPath: cluster.controlSocket("peer1")))
            #expect(notify.waitFor("STATUS=Sharing 1 files", timeout: 8))
            #expect(notify.messages.contains { $0.contains("index ok") })
            #expect(peer.stop() == 0)
            #expect(notify.waitFor("STOPPING=1"))
        }

        @Test func indexUsesTheSocketSystemdPasses() throws {
            let port = try freePort()
            let daemon = try Daemon(
                "/usr/bin/systemd-socket-activate",
                [
                    "-l", "127.0.0.1:\(port)", "--fdname=index",
                    Daemon.binDirectory.appendingPathComponent("p2p-indexd").path,
                    "--port", "1",
                ])
            try daemon.waitForLog("Listening on")
            // The configured port 1 would fail to bind as non-root and is never used: the passed
            // socket wins. systemd-socket-activate starts the daemon on the first connection.
            let client = try LineClient(port: port)
            let reply = try client.request(Envelope(type: .statsRequest, payload: [:]))
            #expect(reply.payload["status"] == "ok")
            try daemon.waitForLog("socket passed by systemd")
            #expect(daemon.stop() == 0)
        }

        @Test func badConfigurationExitsWithOneLineAnd78() throws {
            let daemon = try Daemon("p2p-indexd", ["--set", "Index.ReplicationFactor=lots"])
            daemon.process.waitUntilExit()
            #expect(daemon.process.terminationStatus == 78)
            #expect(daemon.output.contains("[Index] ReplicationFactor=lots: expected"))
            #expect(daemon.output.split(separator: "\n").count == 1)
        }
    }
}

/// A port that was free a moment ago (bound to 0, read back, released).
func freePort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
            bind(fd, pointer, length) == 0 ? getsockname(fd, pointer, &length) : -1
        }
    }
    return Int(UInt16(bigEndian: address.sin_port))
}
