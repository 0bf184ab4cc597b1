import Glibc
import Testing

@testable import P2PBench

/// The bench's stand-in for systemd's notify socket, with real datagrams.
@Suite struct NotifySocketTests {
    static func send(_ text: String, to path: String) -> Bool {
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            path.utf8CString.withUnsafeBytes { raw.copyMemory(from: $0) }
        }
        let bytes = Array(text.utf8)
        let sent = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                sendto(fd, bytes, bytes.count, 0, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        return sent == bytes.count
    }

    @Test func readyArrivesAfterOtherMessages() throws {
        let folder = try Directories.makeTemporary(in: Directories.temporaryParent, prefix: "p2p-notify-test-")
        defer { Directories.removeTree(folder) }
        let notify = try NotifySocket(path: folder + "/n.sock")
        let before = MonotonicTime.now()
        #expect(Self.send("STATUS=starting", to: notify.path))
        #expect(Self.send("READY=1\nSTATUS=serving", to: notify.path))
        let arrived = try #require(notify.waitFor("READY=1", timeoutSeconds: 5, alive: { true }))
        #expect(arrived >= before)
    }

    @Test func aSenderThatDiesEndsTheWait() throws {
        let folder = try Directories.makeTemporary(in: Directories.temporaryParent, prefix: "p2p-notify-test-")
        defer { Directories.removeTree(folder) }
        let notify = try NotifySocket(path: folder + "/n.sock")
        let start = MonotonicTime.now()
        #expect(notify.waitFor("READY=1", timeoutSeconds: 10, alive: { false }) == nil)
        #expect(MonotonicTime.seconds(since: start) < 5)
    }
}
