import ArgumentParser
import P2PControl

/// `p2pctl status`: is the daemon healthy, and what is it doing.
struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the daemon's identity, addresses, index connection and current activity.")

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try ControlCall.run(connection, json: output.json) { session in
            let reply = try session.send(.status)
            guard case .status(let status) = try reply.decoded() else { return }
            output.json ? Console.line(reply.line) : Console.lines(ReplyText.status(status))
        }
    }
}
