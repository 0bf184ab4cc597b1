import P2PIndex
import P2PProtocol

/// Glob search takes a pattern from any client and runs it against every name in the index, so
/// matching must be right and cheap. Input: pattern, NUL, name (no NUL: the name is the pattern
/// itself). `GlobPattern` must agree with `ReferenceGlob`; `FileIndex` holding just that name must
/// find it by glob exactly when the pattern matches, under the name it was registered with; and
/// substring search must agree with plain byte containment. Time is bounded by libFuzzer's
/// `-timeout`: the matcher is meant to be O(pattern × name).
enum GlobTarget {
    static func run(_ input: UnsafeRawBufferPointer) throws(InvariantViolation) {
        let separator = input.firstIndex(of: 0) ?? input.count
        let pattern = String(decoding: UnsafeRawBufferPointer(rebasing: input[..<separator]), as: UTF8.self)
        let name =
            separator < input.count
            ? String(decoding: UnsafeRawBufferPointer(rebasing: input[(separator + 1)...]), as: UTF8.self) : pattern
        // The sizes the wire allows: queries up to 1024 bytes, names up to 255.
        guard pattern.utf8.count <= 1024, name.utf8.count <= 255 else { return }

        let glob = GlobPattern(pattern)
        let matches = glob.matches(name)
        let expected = ReferenceGlob(pattern).matches(name)
        try require(
            matches == expected,
            "\(pattern.debugDescription) against \(name.debugDescription): \(matches), reference says \(expected)")

        guard !pattern.isEmpty, NameRules.fileNameProblem(name) == nil else { return }
        var index = FileIndex()
        let registration = RegistryRequest(
            endpoint: PeerEndpoint(host: "127.0.0.1", port: 7100), files: [SharedFile(name: name, meta: FileMeta())])
        _ = index.register(peerID: "peer1", request: registration, now: 0)

        let found = index.search(SearchRequest(query: pattern, mode: .glob), now: 0)
        try require(
            found.isEmpty != matches,
            "glob search for \(pattern.debugDescription) in {\(name.debugDescription)} found \(found.count), "
                + "but the pattern \(matches ? "matches" : "does not match")")
        for result in found {
            try require(
                result.fileName.utf8.elementsEqual(name.utf8),
                "glob search returned \(result.fileName.debugDescription) for \(name.debugDescription)")
        }

        let containing = index.search(SearchRequest(query: pattern, mode: .substring), now: 0)
        let contains = ASCIICaseContainment.contains(name, pattern)
        try require(
            containing.isEmpty != contains,
            "substring search for \(pattern.debugDescription) in {\(name.debugDescription)} found "
                + "\(containing.count), expected \(contains ? "it" : "nothing")")
    }

}
