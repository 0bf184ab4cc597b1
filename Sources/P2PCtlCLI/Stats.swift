import ArgumentParser
import P2PControl

/// `p2pctl stats`: transfer counters and rates.
struct Stats: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the daemon's counters: files, bytes and rates up and down, transfers.")

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try ControlCall.run(connection, json: output.json) { session in
            let reply = try session.send(.stats)
            guard case .stats(let stats) = try reply.decoded() else { return }
            output.json ? Console.line(reply.line) : Console.lines(ReplyText.stats(stats))
        }
    }
}
