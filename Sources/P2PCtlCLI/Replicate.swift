import ArgumentParser
import P2PControl
import P2PProtocol

/// `p2pctl replicate NAME`: make this peer another holder of a file.
struct Replicate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy a file into the daemon's replicated/ folder, which it then serves.")

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "The file's name.")
    var name: String

    func validate() throws {
        if let problem = NameRules.fileNameProblem(name) {
            throw ValidationError("invalid file name \(name.debugDescription): \(problem)")
        }
    }

    func run() throws {
        try ControlCall.run(connection, json: output.json) { session in
            let reply = try session.send(.replicate(fileName: name))
            guard case .outcome(let outcome) = try reply.decoded() else { return }
            output.json ? Console.line(reply.line) : Console.line(ReplyText.outcome(outcome))
        }
    }
}
