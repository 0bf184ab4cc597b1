import IndexDaemonCLI
import P2PCtlCLI
import PeerDaemonCLI

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The shipped binary: one executable behind the names p2p-indexd, p2p-peerd and p2pctl (see
/// `Personality`). Each command then parses the rest of the arguments exactly as its own executable
/// would, with its own name in --help, --version and error messages.
///
/// An async `main` rather than top-level code: only in an async context does `main()` resolve to
/// the daemons' asynchronous entry point (top-level code picks the synchronous one, which refuses an
/// `AsyncParsableCommand`).
@main
enum MultiCall {
    static func main() async {
        let invokedAs = CommandLine.arguments.first ?? ""
        switch Personality(invokedAs: invokedAs) {
        case .indexDaemon:
            await IndexDaemonCommand.main()
        case .peerDaemon:
            await PeerDaemonCommand.main()
        case .control:
            P2PCtl.main()
        case nil:
            refuse(invokedAs: invokedAs)
        }
    }

    /// Exit status 2, as for a usage error: the binary was run by a name it does not answer to.
    static func refuse(invokedAs: String) -> Never {
        let names = Personality.allCases.map(\.rawValue).joined(separator: ", ")
        let message = "p2p-multicall: run as \"\(invokedAs)\"; run it through a link named one of: \(names)\n"
        // write(2), not C's `stderr` global (shared mutable state to Swift 6).
        _ = Array(message.utf8).withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
        exit(2)
    }
}
