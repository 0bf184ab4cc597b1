// Compile-time proof that p2p_ucred is the kernel's struct ucred: a mismatch would make every
// control connection's uid wrong, silently.
#define _GNU_SOURCE
#include "CPeerCredentials.h"

#include <stddef.h>

_Static_assert(sizeof(p2p_ucred) == sizeof(struct ucred), "p2p_ucred must match struct ucred");
_Static_assert(offsetof(p2p_ucred, pid) == offsetof(struct ucred, pid), "pid offset");
_Static_assert(offsetof(p2p_ucred, uid) == offsetof(struct ucred, uid), "uid offset");
_Static_assert(offsetof(p2p_ucred, gid) == offsetof(struct ucred, gid), "gid offset");
_Static_assert(sizeof(p2p_peer_groups) == P2P_PEER_GROUPS_MAX * sizeof(gid_t), "no padding");
