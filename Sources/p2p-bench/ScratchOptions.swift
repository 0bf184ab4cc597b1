import ArgumentParser
import P2PBench

/// Where the daemons come from and where their scratch folder goes: the same for every
/// subcommand that starts daemons of its own (`run`, `soak`).
struct ScratchOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Folder with p2p-indexd and p2p-peerd.", valueName: "dir"))
    var binDir: String?

    @Option(help: ArgumentHelp("Where to make the scratch folder.", valueName: "dir"))
    var scratchParent: String?

    @Flag(help: "Keep the scratch folder (daemon logs, datasets if any) for inspection.")
    var keepScratch = false

    /// `--bin-dir`, else the folder this executable is in.
    func binDirectory() throws(BenchError) -> String {
        guard let bin = binDir ?? ExecutableLocation.directory else {
            throw .invalidArgument("cannot tell where p2p-bench is; pass --bin-dir")
        }
        return bin
    }
}
