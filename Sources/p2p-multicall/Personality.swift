/// Which of the three commands the multi-call binary is to be, read from the name it was run by.
///
/// The package ships one static binary instead of three: each static Swift executable carries its
/// own copy of the Swift runtime, NIO and the rest: three of them installed 66 MiB, this one 26 MiB.
/// `/usr/sbin/p2p-indexd`, `/usr/sbin/p2p-peerd` and `/usr/bin/p2pctl` are links to it, and the last
/// component of `argv[0]` (the link's name) chooses the command.
enum Personality: String, CaseIterable {
    case indexDaemon = "p2p-indexd"
    case peerDaemon = "p2p-peerd"
    case control = "p2pctl"

    /// The personality for `argv[0]`, or nil if its last path component is none of the three names.
    init?(invokedAs path: String) {
        let name = path.split(separator: "/", omittingEmptySubsequences: true).last.map(String.init) ?? ""
        self.init(rawValue: name)
    }
}
