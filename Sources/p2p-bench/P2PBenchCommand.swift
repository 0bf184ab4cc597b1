import ArgumentParser
import P2PProtocol

/// `p2p-bench`: the evaluation tool. Each subcommand is one experiment; `run` does them all.
@main
struct P2PBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "p2p-bench",
        abstract: "Measure p2p: datasets, search weak scaling, download strong scaling, registry cost.",
        discussion: """
            Rates are over the wall-clock time of a whole batch, never a sum of per-request times. \
            `run` starts its own index and two peers on loopback in a scratch folder; the other \
            subcommands measure daemons that are already running.
            """,
        version: P2PVersion.current,
        subcommands: [Generate.self, Weak.self, Strong.self, Register.self, Run.self, Soak.self])
}
