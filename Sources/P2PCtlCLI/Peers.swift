import ArgumentParser
import P2PControl

/// `p2pctl peers`: the peers the index knows, as this daemon's index reports them.
struct Peers: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the peers registered with the index.")

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try ControlCall.run(connection, json: output.json) { session in
            let reply = try session.send(.peers)
            guard case .peers(let peers) = try reply.decoded() else { return }
            output.json ? Console.line(reply.line) : Console.lines(ReplyText.peers(peers))
        }
    }
}
