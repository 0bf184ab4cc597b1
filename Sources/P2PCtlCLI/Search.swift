import ArgumentParser
import P2PControl
import P2PProtocol

/// `p2pctl search QUERY`: who shares a file.
struct Search: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Search the index for a file.",
        discussion: """
            Prints one row per holder: name, size, the first digits of its SHA-256, peer id and \
            address. Exits 1 when nothing matches.
            """)

    /// How the query matches, when not the whole name exactly.
    enum Match: String, EnumerableFlag {
        case substring, glob, sha256

        static func help(for value: Match) -> ArgumentHelp? {
            switch value {
            case .substring: "Match names containing QUERY, ignoring case."
            case .glob: "Match names against a shell pattern (*, ?, [...]); quote it."
            case .sha256: "QUERY is a SHA-256: find that exact file under any name."
            }
        }

        var mode: SearchMode {
            switch self {
            case .substring: .substring
            case .glob: .glob
            case .sha256: .sha256
            }
        }
    }

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "The file name to look for (the whole name, unless a match flag says otherwise).")
    var query: String

    @Flag(exclusivity: .exclusive) var match: Match?

    @Option(help: "Show at most N results.")
    var limit: Int?

    func validate() throws {
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
        if match == .sha256, SHA256Hex.normalized(query) == nil {
            throw ValidationError("with --sha256, QUERY must be 64 hex digits")
        }
    }

    func run() throws {
        let request = SearchRequest(query: query, mode: match?.mode ?? .exact, limit: limit)
        try ControlCall.run(connection, json: output.json) { session in
            let reply = try session.send(.search(request))
            guard case .searchResults(let results) = try reply.decoded() else { return }
            if output.json { Console.line(reply.line) }
            guard !results.isEmpty else { throw CommandFailure("nothing matches \(query.debugDescription)") }
            if !output.json { Console.lines(ReplyText.searchResults(results)) }
        }
    }
}
