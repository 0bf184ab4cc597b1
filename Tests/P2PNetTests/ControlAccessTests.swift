import CPeerCredentials
import Testing

@testable import P2PNet

@Suite struct ControlAccessTests {
    let policy = ControlAccessPolicy(daemonUID: 998, group: ControlGroup(id: 997, name: "p2p"))

    func caller(uid: uid_t, gid: gid_t = 100, groups: [gid_t]? = []) -> PeerCredentials {
        PeerCredentials(pid: 42, uid: uid, gid: gid, groups: groups)
    }

    @Test func rootTheDaemonAndTheGroupAreAdmitted() {
        #expect(policy.refusal(for: caller(uid: 0)) == nil)
        #expect(policy.refusal(for: caller(uid: 998)) == nil)
        #expect(policy.refusal(for: caller(uid: 1000, gid: 997)) == nil)
        #expect(policy.refusal(for: caller(uid: 1000, groups: [4, 997, 1000])) == nil)
    }

    @Test func everyoneElseIsToldWhy() {
        #expect(
            policy.refusal(for: caller(uid: 1000, groups: [4, 27]))
                == "permission denied: uid 1000 is not root and not in group p2p")
        #expect(policy.refusal(for: caller(uid: 65_534, groups: nil)) != nil)
        let noGroup = ControlAccessPolicy(daemonUID: 998, group: nil)
        #expect(
            noGroup.refusal(for: caller(uid: 1000, gid: 997))
                == "permission denied: uid 1000 is neither root nor the daemon's user")
    }

    @Test func supplementaryGroupsEndAtThePadding() {
        var list = p2p_peer_groups()
        withUnsafeMutableBytes(of: &list.groups) { raw in
            let gids = raw.bindMemory(to: gid_t.self)
            gids[0] = 4
            gids[1] = 27
            gids[2] = 997
        }
        #expect(PeerCredentials.groups(in: list) == [4, 27, 997])
        #expect(PeerCredentials.groups(in: p2p_peer_groups()) == [])
        #expect(Int(p2p_peer_groups_max) * MemoryLayout<gid_t>.size == MemoryLayout<p2p_peer_groups>.size)
    }

    @Test func groupsResolveByNameOrNumber() throws {
        #expect(try ControlGroup.resolve("root") == ControlGroup(id: 0, name: "root"))
        #expect(try ControlGroup.resolve("0") == ControlGroup(id: 0, name: "root"))
        #expect(try ControlGroup.resolve("54321") == ControlGroup(id: 54_321, name: "54321"))
        #expect(throws: ControlGroupError.unknownGroup("no-such-group-p2p")) {
            try ControlGroup.resolve("no-such-group-p2p")
        }
    }
}
