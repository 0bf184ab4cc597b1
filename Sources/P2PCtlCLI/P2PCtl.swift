import ArgumentParser
import P2PProtocol

/// `p2pctl`: drives a running peer daemon over its Unix control socket.
///
/// A library type so that both the `p2pctl` executable and the multi-call binary that ships in the
/// package (`p2p-multicall`, run through a link named `p2pctl`) start the same command.
///
/// The root holds configuration and the options every subcommand shares (`ConnectionOptions`).
/// Each subcommand is its own small type and declares the same option group, so `--peer` may
/// stand before or after the subcommand's name and shows in every subcommand's help.
public struct P2PCtl: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "p2pctl",
        abstract: "Control a p2p peer daemon: search, download, replicate, inspect.",
        discussion: """
            p2pctl talks to one peer daemon through its control socket, /run/p2p/ID.sock. Choose the \
            peer with --peer ID or --socket PATH (or the P2P_PEER / P2P_SOCKET environment \
            variables); with none of them, the only socket in /run/p2p is used. Root and members of \
            the group p2p may use the socket.

            Exit status: 0 on success; 1 with one line "p2pctl: reason" on standard error otherwise.
            """,
        version: P2PVersion.current,
        subcommands: [
            Search.self, Download.self, Stats.self, LocalFiles.self, Peers.self, Replicate.self,
            Status.self, Shell.self,
        ]
    )

    @OptionGroup var connection: ConnectionOptions

    public init() {}
}
