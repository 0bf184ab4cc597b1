import P2PControl
import P2PProtocol

/// One download as p2pctl shows it, shared by `download` and the shell: progress while it runs,
/// the summary line, the daemon's note, and the copy for `--to`.
struct DownloadRun {
    let json: Bool

    func perform(_ command: DownloadCommand, session: ControlSession, copyTo directory: String?, force: Bool) throws {
        let reporter =
            json ? nil : ProgressReporter(style: Console.outputIsTerminal ? .bar : .lines, write: Console.write)
        let reply: ControlFinalReply
        do {
            reply = try session.send(.download(command)) { event in
                if case .progress(let progress) = event { reporter?.update(progress) }
            }
        } catch {
            reporter?.finish()
            throw error
        }
        reporter?.finish()
        guard case .outcome(let outcome) = try reply.decoded() else { return }
        if json {
            Console.line(reply.line)
        } else {
            Console.line(ReplyText.outcome(outcome))
            if let note = outcome.note { Console.line("note: \(note)") }
        }
        guard let directory else { return }
        switch try FileDelivery.copy(from: outcome.path, into: directory, name: outcome.fileName, force: force) {
        case .copied(let path): if !json { Console.line("copied to \(path)") }
        case .alreadyThere(let path): if !json { Console.line("\(path) already has these bytes") }
        }
    }
}
