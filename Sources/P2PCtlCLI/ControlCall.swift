import ArgumentParser
import P2PControl
import P2PProtocol

/// Runs one subcommand's exchange with the daemon and turns any failure into p2pctl's contract:
/// one line `p2pctl: reason` on stderr and exit status 1. With `--json`, a daemon's error reply is
/// also printed to stdout as is, so scripts get JSON either way.
enum ControlCall {
    static func run(
        _ connection: ConnectionOptions, json: Bool, _ body: (ControlSession) throws -> Void
    ) throws {
        do {
            let session = try ControlSession(socketPath: try connection.socketPath())
            try body(session)
        } catch {
            if json, case .daemon(_, let line) = error as? ControlClientError { Console.line(line) }
            Console.failure(error)
            throw ExitCode.failure
        }
    }
}

/// A failure p2pctl itself decides on (nothing matched), worded for the user.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
