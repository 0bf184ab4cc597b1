// Who is on the other end of a Unix socket: the kernel's answer to SO_PEERCRED and
// SO_PEERGROUPS, in types Swift can see.
//
// glibc declares `struct ucred` only under _GNU_SOURCE, which Swift's Glibc module does not set,
// so the same three fields are declared here; PeerCredentials.c checks at compile time that the
// layouts agree. The values are read with SwiftNIO's `unsafeGetSocketOption`, which hands back a
// zero-filled value of the requested type.
#ifndef P2P_C_PEER_CREDENTIALS_H
#define P2P_C_PEER_CREDENTIALS_H

#include <sys/socket.h>
#include <sys/types.h>

/// The kernel's `struct ucred`: the process, user and primary group of the peer at connect time.
typedef struct p2p_ucred {
    pid_t pid;
    uid_t uid;
    gid_t gid;
} p2p_ucred;

/// Supplementary groups read at most. A caller in more groups than this gets ERANGE from the
/// kernel and is judged by its uid and primary group alone.
#define P2P_PEER_GROUPS_MAX 256

/// The buffer SO_PEERGROUPS fills: the peer's supplementary groups, ascending (the kernel keeps
/// them sorted), followed by zeros.
typedef struct p2p_peer_groups {
    gid_t groups[P2P_PEER_GROUPS_MAX];
} p2p_peer_groups;

/// SO_PEERGROUPS appeared in Linux 4.13; old headers lack the name.
#ifndef SO_PEERGROUPS
#define SO_PEERGROUPS 59
#endif

static const int p2p_so_peercred = SO_PEERCRED;
static const int p2p_so_peergroups = SO_PEERGROUPS;
static const int p2p_peer_groups_max = P2P_PEER_GROUPS_MAX;

#endif
