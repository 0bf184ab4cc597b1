import ArgumentParser
import P2PControl
import P2PProtocol

/// `p2pctl download NAME`: the daemon fetches, verifies and files it; p2pctl shows progress.
struct Download: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Have the daemon download a file into its downloaded/ folder.",
        discussion: """
            The daemon writes NAME.part, verifies the SHA-256 from the index and renames it into \
            downloaded/. A progress bar shows on a terminal; otherwise a line every few seconds. When \
            several different files share the name, the one with the most sources is taken (and \
            p2pctl says so); --sha256 picks one.
            """)

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "The file's name. May be left out when --sha256 is given.")
    var name: String?

    @Option(help: ArgumentHelp("Download the file with this SHA-256.", valueName: "HEX"))
    var sha256: String?

    @Option(
        help: ArgumentHelp("Then copy the file into DIR, as you (the daemon cannot write there).", valueName: "DIR"))
    var to: String?

    @Flag(help: "With --to, replace a different file of the same name in DIR.")
    var force = false

    func validate() throws {
        guard name != nil || sha256 != nil else { throw ValidationError("give a file NAME or --sha256 HEX") }
        if let name, let problem = NameRules.fileNameProblem(name) {
            throw ValidationError("invalid file name \(name.debugDescription): \(problem)")
        }
        if let sha256, SHA256Hex.normalized(sha256) == nil { throw ValidationError("--sha256 needs 64 hex digits") }
        if force && to == nil { throw ValidationError("--force only applies with --to DIR") }
    }

    func run() throws {
        let command = DownloadCommand(fileName: name, sha256: sha256.flatMap(SHA256Hex.normalized))
        try ControlCall.run(connection, json: output.json) { session in
            try DownloadRun(json: output.json).perform(command, session: session, copyTo: to, force: force)
        }
    }
}
