import P2PFuzz

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `p2p-fuzz TARGET ARGUMENTS…`.
///
/// Built by `make fuzz` (`-D P2P_LIBFUZZER`, `-sanitize=fuzzer,address`) it is a libFuzzer
/// binary: the arguments after the target are libFuzzer's. Built normally it replays files (or
/// every file in folders) through the target without sanitizers, to reproduce a crash artifact
/// or step through one under a debugger.
@main
struct FuzzCommand {
    static func main() {
        #if P2P_LIBFUZZER
            LibFuzzerDriver.run()
        #else
            let arguments = Array(CommandLine.arguments.dropFirst())
            guard let name = arguments.first, let target = FuzzTarget(rawValue: name), arguments.count >= 2 else {
                printToStandardError(
                    "usage: p2p-fuzz \(FuzzTarget.allCases.map(\.rawValue).joined(separator: "|")) PATH…")
                exit(2)
            }
            exit(Replay.run(target, paths: Array(arguments.dropFirst())) ? 0 : 1)
        #endif
    }
}
