import ArgumentParser
import P2PControl

#if canImport(Glibc)
    import Glibc
#endif

/// Which daemon to talk to; shared by every subcommand.
struct ConnectionOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The peer to control: its socket is /run/p2p/ID.sock. Default: $P2P_PEER.", valueName: "ID"))
    var peer: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The control socket to use; wins over --peer. Default: $P2P_SOCKET.", valueName: "PATH"))
    var socket: String?

    /// The socket path by the documented precedence: --socket, --peer, P2P_SOCKET, P2P_PEER, the
    /// only socket in /run/p2p.
    func socketPath() throws(ControlClientError) -> String {
        try ControlSocketChoice.socketPath(socket: socket, peer: peer, environment: Self.environment)
    }

    private static var environment: [String: String] {
        var values: [String: String] = [:]
        for key in ["P2P_SOCKET", "P2P_PEER"] {
            if let value = getenv(key) { values[key] = String(cString: value) }
        }
        return values
    }
}

/// `--json`, on every subcommand that prints a reply.
struct OutputOptions: ParsableArguments {
    @Flag(help: "Print the daemon's final JSON reply as is (one line), for scripts.")
    var json = false
}
