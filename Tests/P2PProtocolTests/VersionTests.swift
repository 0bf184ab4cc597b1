import Foundation
import P2PProtocol
import Testing

/// VERSION at the top of the repository is the release's one source: the .deb, its file name and
/// the Makefile read it, and every binary reports `P2PVersion.current`. They must agree.
@Suite struct VersionTests {
    /// The repository's VERSION file, found from this source file's path.
    static let versionFile = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("VERSION")

    @Test func currentMatchesTheVersionFile() throws {
        let text = try String(contentsOf: Self.versionFile, encoding: .utf8)
        let version = text.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(
            version == P2PVersion.current,
            "VERSION says \(version), P2PVersion.current is \(P2PVersion.current): change both together")
    }

    @Test func versionIsMajorMinorPatch() {
        let parts = P2PVersion.current.split(separator: ".", omittingEmptySubsequences: false)
        #expect(parts.count == 3 && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isNumber) })
    }
}
