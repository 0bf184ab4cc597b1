import Glibc
import Testing

@testable import P2PBench

/// An anchor whose tool is not installed is reported as skipped, with the package to install,
/// and the run goes on: nothing is started, nothing crashes.
@Suite struct AnchorSkipTests {
    /// A real, empty folder: no tool can be found in it.
    static func withoutTools(_ body: (ToolLocator, String) throws -> Void) throws {
        let folder = try Directories.makeTemporary(in: Directories.temporaryParent, prefix: "p2p-no-tools-")
        defer { Directories.removeTree(folder) }
        try body(ToolLocator(folders: [folder]), folder)
    }

    @Test func missingFileAnchorsAreSkippedWithThePackageToInstall() throws {
        try Self.withoutTools { tools, folder in
            let anchors = FileFetchAnchors(
                .init(
                    servedDirectory: folder, fileName: "x.bin", fileSize: 1, workDirectory: folder + "/anchors",
                    repetitions: 1, tools: tools))
            #expect(
                anchors.rsync().skip?.description == "rsync: skipped: install rsync (scripts/install-bench-deps.sh)")
            #expect(anchors.nginx().skip?.reason.hasPrefix("install nginx-light") == true)
            #expect(Directories.entries(of: folder).isEmpty)
        }
    }

    @Test func missingIperfAndRedisAreSkipped() throws {
        try Self.withoutTools { tools, folder in
            #expect(
                IperfCeiling.measure(workDirectory: folder, seconds: 1, tools: tools).skip?.reason.hasPrefix(
                    "install iperf3") == true)
            let redis = RedisAnchor(workDirectory: folder, requests: 10, tools: tools).measure(clients: [1])
            #expect(redis.skip?.reason.hasPrefix("install redis-server") == true)
            #expect(redis.value == nil)
        }
    }

    @Test func aToolIsFoundOnlyWhenExecutable() throws {
        try Self.withoutTools { tools, folder in
            try FileIO.writeText("#!/bin/sh\n", to: folder + "/rsync")
            #expect(tools.find("rsync") == nil)
            chmod(folder + "/rsync", 0o755)
            #expect(tools.find("rsync") == folder + "/rsync")
        }
    }
}
