import ArgumentParser
import P2PControl
import P2PProtocol

/// `p2pctl shell`: the seed's interactive commands, one per line, on standard input.
struct Shell: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Read commands interactively: lookup, download, list local, stats, exit.",
        discussion: """
            The prompt "p2p> " shows on a terminal only, so commands can also be piped in. Each \
            command makes its own connection. Ends at exit, quit or end of input; the exit status \
            is 1 if any command failed.
            """)

    static let help = [
        "lookup NAME      who shares NAME",
        "download NAME    download NAME into the daemon's downloaded/ folder",
        "list local       the daemon's files",
        "stats            transfer counters",
        "peers            the peers the index knows",
        "status           the daemon's state",
        "help             this list",
        "exit, quit       leave (so does end of input)",
    ]

    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        let interactive = Console.inputIsTerminal
        var failed = false
        while true {
            if interactive { Console.write("p2p> ") }
            guard let input = readLine() else {
                if interactive { Console.line("") }
                break
            }
            let words = input.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
            guard let verb = words.first.map(String.init) else { continue }
            let argument = words.count > 1 ? String(words[1]).trimmingSpaces : ""
            if verb == "exit" || verb == "quit" { break }
            do {
                try perform(verb, argument)
            } catch {
                Console.failure(error)
                failed = true
            }
        }
        if failed { throw ExitCode.failure }
    }

    private func perform(_ verb: String, _ argument: String) throws {
        switch (verb, argument) {
        case ("help", _):
            Console.lines(Self.help)
        case ("lookup", let name) where !name.isEmpty:
            let reply = try session().send(.search(SearchRequest(query: name)))
            guard case .searchResults(let results) = try reply.decoded() else { return }
            guard !results.isEmpty else { throw CommandFailure("nothing matches \(name.debugDescription)") }
            Console.lines(ReplyText.searchResults(results))
        case ("download", let name) where !name.isEmpty:
            if let problem = NameRules.fileNameProblem(name) {
                throw CommandFailure("invalid file name \(name.debugDescription): \(problem)")
            }
            try DownloadRun(json: false).perform(
                DownloadCommand(fileName: name), session: session(), copyTo: nil, force: false)
        case ("list", "local"):
            guard case .localFiles(let files) = try session().send(.localFiles).decoded() else { return }
            Console.lines(ReplyText.localFiles(files))
        case ("stats", ""):
            guard case .stats(let stats) = try session().send(.stats).decoded() else { return }
            Console.lines(ReplyText.stats(stats))
        case ("peers", ""):
            guard case .peers(let peers) = try session().send(.peers).decoded() else { return }
            Console.lines(ReplyText.peers(peers))
        case ("status", ""):
            guard case .status(let status) = try session().send(.status).decoded() else { return }
            Console.lines(ReplyText.status(status))
        case ("lookup", _), ("download", _):
            throw CommandFailure("usage: \(verb) NAME")
        default:
            throw CommandFailure(
                "unknown command \((verb + (argument.isEmpty ? "" : " " + argument)).debugDescription) (try help)")
        }
    }

    private func session() throws -> ControlSession {
        try ControlSession(socketPath: try connection.socketPath())
    }
}

extension String {
    /// Without leading and trailing spaces and tabs (names may contain inner spaces).
    fileprivate var trimmingSpaces: String {
        let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" }
        return String(drop(while: isBlank).reversed().drop(while: isBlank).reversed())
    }
}
