import P2PCtlCLI

/// The entry point of `swift run p2pctl` and the tests; the command itself lives in `P2PCtlCLI`,
/// which the shipped multi-call binary shares.
@main extension P2PCtl {}
