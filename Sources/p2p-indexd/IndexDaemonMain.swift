import IndexDaemonCLI

/// The entry point of `swift run p2p-indexd` and the tests; the command itself lives in `IndexDaemonCLI`,
/// which the shipped multi-call binary shares.
@main extension IndexDaemonCommand {}
