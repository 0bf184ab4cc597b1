import ArgumentParser
import P2PControl

/// `p2pctl ls`: what the daemon holds.
struct LocalFiles: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ls",
        abstract: "List the daemon's files: shared/, replicated/ and downloaded/.")

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try ControlCall.run(connection, json: output.json) { session in
            let reply = try session.send(.localFiles)
            guard case .localFiles(let files) = try reply.decoded() else { return }
            output.json ? Console.line(reply.line) : Console.lines(ReplyText.localFiles(files))
        }
    }
}
