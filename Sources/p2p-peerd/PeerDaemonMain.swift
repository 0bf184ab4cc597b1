import PeerDaemonCLI

/// The entry point of `swift run p2p-peerd` and the tests; the command itself lives in `PeerDaemonCLI`,
/// which the shipped multi-call binary shares.
@main extension PeerDaemonCommand {}
