import P2PProtocol

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Which peer daemon's control socket p2pctl talks to.
///
/// Precedence: `--socket PATH` > `--peer ID` > `P2P_SOCKET` > `P2P_PEER`; with none of them, the
/// only `*.sock` in `/run/p2p` if there is exactly one (a machine running one peer needs no flag).
public enum ControlSocketChoice {
    /// Where systemd-run peers put their sockets: `/run/p2p/<id>.sock`.
    public static let defaultRunDirectory = "/run/p2p"

    public static func socketPath(
        socket: String?, peer: String?, environment: [String: String],
        runDirectory: String = defaultRunDirectory
    ) throws(ControlClientError) -> String {
        func given(_ value: String?) -> String? { value.flatMap { $0.isEmpty ? nil : $0 } }
        if let socket = given(socket) { return socket }
        if let peer = given(peer) { return try path(forPeer: peer, runDirectory: runDirectory) }
        if let socket = given(environment["P2P_SOCKET"]) { return socket }
        if let peer = given(environment["P2P_PEER"]) { return try path(forPeer: peer, runDirectory: runDirectory) }
        let sockets = socketNames(in: runDirectory)
        guard sockets.count == 1 else {
            let detail = sockets.isEmpty ? nil : "\(runDirectory) has \(sockets.joined(separator: ", "))"
            throw .noPeerChosen(detail)
        }
        return runDirectory + "/" + sockets[0]
    }

    /// `/run/p2p/<id>.sock`, after checking the id cannot point elsewhere.
    public static func path(forPeer id: String, runDirectory: String = defaultRunDirectory) throws(ControlClientError)
        -> String
    {
        if let problem = NameRules.peerIDProblem(id) { throw .invalidPeerID(id, problem) }
        return runDirectory + "/" + id + ".sock"
    }

    /// The peer id of a path in the default run directory, for the "is p2p-peer@ID running?" hint.
    static func peerID(ofDefaultPath path: String) -> String? {
        let prefix = defaultRunDirectory + "/"
        guard path.hasPrefix(prefix), path.hasSuffix(".sock") else { return nil }
        let id = String(path.dropFirst(prefix.count).dropLast(".sock".count))
        return NameRules.peerIDProblem(id) == nil ? id : nil
    }

    /// Names ending in `.sock` in `directory`, sorted; none when it cannot be read.
    static func socketNames(in directory: String) -> [String] {
        guard let stream = opendir(directory) else { return [] }
        defer { closedir(stream) }
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name.hasSuffix(".sock"), name != ".sock" { names.append(name) }
        }
        return names.sorted()
    }
}
