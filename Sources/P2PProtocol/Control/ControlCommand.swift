/// The commands of the control channel, as the `command` member of a request names them.
///
/// They mirror p2pctl's subcommands one to one (`ls` included), so a script that speaks the
/// socket directly uses the words it already knows from the CLI.
public enum ControlCommand: String, Sendable, CaseIterable {
    case search
    case download
    case stats
    case ls
    case peers
    case replicate
    case status
}
