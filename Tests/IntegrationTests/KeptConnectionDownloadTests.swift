import Crypto
import Foundation
import P2PProtocol
import Testing

extension Integration {
    /// Many small downloads from one source, driven by `p2pctl` against real daemons: the
    /// downloading peer keeps its connection to the source between files.
    @Suite struct KeptConnectionDownloadTests {
        func hex(_ data: Data) -> String { SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined() }

        /// The source's "serving" log lines: all of them, and those that opened their connection.
        func uploads(in log: String) -> (total: Int, firstOnConnection: Int) {
            let serving = log.split(separator: "\n").filter { $0.contains("serving") && $0.contains("file_name=") }
            let opening = serving.filter { $0.split(separator: " ").contains("connection_upload=1") }
            return (serving.count, opening.count)
        }

        @Test func fiftySmallFilesOneAfterAnotherUseFewerConnectionsThanFilesAndAllVerify() async throws {
            let cluster = try Cluster(indexSettings: ["Index.ReplicationFactor=1"])
            var contents: [String: Data] = [:]
            for number in 0..<50 {
                contents["small\(number).bin"] = try cluster.share("peer1", "small\(number).bin", bytes: 1024 + number)
            }
            try cluster.startPeer("peer1")
            try cluster.startPeer("peer2")
            // One registration carries every shared file: once the last is found, all are.
            try cluster.waitForSearch(SearchRequest(query: "small49.bin")) { !$0.isEmpty }
            for number in 0..<50 {
                let name = "small\(number).bin"
                let result = try await CtlProcess.run(
                    ["--socket", cluster.controlSocket("peer2"), "download", name, "--json"], timeout: 60)
                #expect(result.status == 0, "\(result)")
                let reply = try JSONParser.parse(result.stdout)
                #expect(reply["verified"] == true, "\(name): \(result.stdout)")
                let copy = try Data(contentsOf: cluster.downloaded("peer2").appendingPathComponent(name))
                #expect(hex(copy) == hex(contents[name]!), "\(name)")
            }
            let uploads = uploads(in: cluster.peer("peer1").output)
            #expect(uploads.total == 50, "\(cluster.peer("peer1").output)")
            // One connection carries them all, unless p2pctl takes longer than the pool's 2 s idle
            // time to start between two files on a loaded machine; far fewer than 50 either way.
            #expect(uploads.firstOnConnection >= 1)
            #expect(uploads.firstOnConnection <= 10, "\(uploads.firstOnConnection) connections for 50 files")
        }
    }
}
