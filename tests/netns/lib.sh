# shellcheck shell=bash
# The namespace harness: a private network of hosts, each a network namespace with one address on
# one bridge, and the p2p daemons started inside them. Sourced by tests/netns/run.sh.
#
# Layout of one network (made by net_create, removed by net_destroy):
#   namespace p2p<tag>-lan  holds the bridge b<tag> (10.99.0.254/24) and the host ends of the veths;
#                           it is not the machine's namespace, so nothing of the test is visible or
#                           reachable from the machine's own interfaces
#   namespace p2p<tag>-NAME one per host (net_add_host NAME ADDR): loopback and eth0 = ADDR/24,
#                           the other end of veth v<tag>-NAME (≤ 15 characters) on the bridge
# <tag> is 6 hex digits per network, so two runs at once never share a name.
#
# Daemons run with `ip netns exec` (which execs: $! is the daemon itself) from a scratch folder;
# their control sockets are files, so p2pctl reaches them from the machine's namespace.

# The subnet every test network uses; each network is its own set of namespaces, so runs in
# parallel do not see each other's addresses.
net_prefix=10.99.0

net_tag=
net_hosts=()
daemon_pids=()

# net_require: exit 0 with "skipped: …" when namespaces cannot be made here.
net_require() {
    local why=
    if [ "$(id -u)" -ne 0 ]; then
        why="needs root (CAP_NET_ADMIN)"
    elif ! command -v ip >/dev/null; then
        why="needs ip (iproute2)"
    else
        local probe
        probe=p2pprobe$$
        if ! ip netns add "$probe" 2>/dev/null; then
            why="needs CAP_NET_ADMIN (ip netns add failed)"
        elif ! ip -n "$probe" link add "b$$" type bridge 2>/dev/null; then
            why="needs bridge support in the kernel"
        fi
        ip netns del "$probe" 2>/dev/null || true
    fi
    if [ -n "$why" ]; then
        echo "skipped: $why"
        exit 0
    fi
}

# net_create: a fresh network (a namespace holding only the bridge).
net_create() {
    net_tag=$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')
    net_hosts=()
    # Chained: this runs where set -e does not (a case called in an `||` list).
    ip netns add "p2p$net_tag-lan" &&
        ip -n "p2p$net_tag-lan" link set lo up &&
        ip -n "p2p$net_tag-lan" link add "b$net_tag" type bridge &&
        ip -n "p2p$net_tag-lan" addr add "$net_prefix.254/24" dev "b$net_tag" &&
        ip -n "p2p$net_tag-lan" link set "b$net_tag" up
}

# ns NAME: the namespace of host NAME.
ns() { echo "p2p$net_tag-$1"; }

# port_of NAME: the bridge port (veth end) of host NAME, for cutting it off.
port_of() { echo "v$net_tag-$1"; }

# net_add_host NAME ADDR: a host on the bridge, reachable at ADDR.
net_add_host() {
    local name=$1 addr=$2 host
    host=$(ns "$name")
    ip netns add "$host" || return 1
    net_hosts+=("$name")
    ip -n "$host" link set lo up &&
        ip -n "p2p$net_tag-lan" link add "$(port_of "$name")" type veth peer name eth0 netns "$host" &&
        ip -n "p2p$net_tag-lan" link set "$(port_of "$name")" master "b$net_tag" up &&
        ip -n "$host" addr add "$addr/24" dev eth0 &&
        ip -n "$host" link set eth0 up
}

# link_down NAME / link_up NAME: unplug host NAME's cable at the bridge (packets vanish, no RST).
link_down() { ip -n "p2p$net_tag-lan" link set "$(port_of "$1")" down; }
link_up() { ip -n "p2p$net_tag-lan" link set "$(port_of "$1")" up; }

# net_destroy: every daemon stopped, every namespace of this network deleted (veths and the bridge
# go with them). Safe to call twice and after a partial net_create.
net_destroy() {
    local pid name
    for pid in "${daemon_pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
    for pid in "${daemon_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    daemon_pids=()
    [ -n "$net_tag" ] || return 0
    for name in "${net_hosts[@]}"; do ip netns del "$(ns "$name")" 2>/dev/null || true; done
    ip netns del "p2p$net_tag-lan" 2>/dev/null || true
    net_hosts=()
    net_tag=
}

# wait_for_log FILE TEXT [SECONDS]: until FILE contains TEXT; 1 on timeout.
wait_for_log() {
    local deadline=$((SECONDS + ${3:-15}))
    until grep -qF -- "$2" "$1" 2>/dev/null; do
        [ $SECONDS -lt $deadline ] || return 1
        sleep 0.1
    done
}

# start_index HOST ADDR [--set K=V …]: p2p-indexd in HOST's namespace on ADDR:7000; sets index_pid.
start_index() {
    local host=$1 addr=$2
    shift 2
    mkdir -p "$work/etc" "$work/index"
    : >"$work/index.log"
    ip netns exec "$(ns "$host")" "$bin/p2p-indexd" --config-dir "$work/etc" --listen-address "$addr" \
        --port 7000 --set "Index.StateDirectory=$work/index" "$@" >>"$work/index.log" 2>&1 &
    index_pid=$!
    daemon_pids+=("$index_pid")
    wait_for_log "$work/index.log" "listening on" || {
        echo "index did not start: $(tail -5 "$work/index.log")"
        return 1
    }
}

# start_peer ID ADDR INDEX_ADDR [--set K=V …]: p2p-peerd ID in host ID's namespace on ADDR:7100,
# state in $work/ID; records its pid in peer_pid[ID].
declare -A peer_pid
start_peer() {
    local id=$1 addr=$2 index_addr=$3
    shift 3
    mkdir -p "$work/$id/shared"
    : >"$work/$id.log"
    ip netns exec "$(ns "$id")" "$bin/p2p-peerd" --id "$id" --config-dir "$work/etc" --state-dir "$work/$id" \
        --port 7100 --set "Peer.ListenAddress=$addr" --set "Peer.AdvertiseHost=$addr" \
        --set "Index.Host=$index_addr" --set "Index.Port=7000" "$@" >>"$work/$id.log" 2>&1 &
    peer_pid[$id]=$!
    daemon_pids+=("$!")
    wait_for_log "$work/$id.log" "listening on" || {
        echo "$id did not start: $(tail -5 "$work/$id.log")"
        return 1
    }
}

# ctl ID ARGS…: p2pctl against peer ID's control socket.
ctl() {
    local id=$1
    shift
    "$bin/p2pctl" --socket "$work/$id/control.sock" "$@"
}

# random_file PATH MiB: that many MiB of random bytes.
random_file() {
    mkdir -p "$(dirname "$1")"
    head -c "$(($2 << 20))" /dev/urandom >"$1"
}

# file_size PATH: bytes, 0 when missing.
file_size() { stat -c %s "$1" 2>/dev/null || echo 0; }

# wait_for_size PATH BYTES [SECONDS]: until PATH holds at least BYTES; 1 on timeout.
wait_for_size() {
    local deadline=$((SECONDS + ${3:-20}))
    until [ "$(file_size "$1")" -ge "$2" ]; do
        [ $SECONDS -lt $deadline ] || return 1
        sleep 0.05
    done
}

# wait_searchable ID NAME COUNT [SECONDS]: until a search from peer ID lists NAME at COUNT holders.
wait_searchable() {
    local deadline=$((SECONDS + ${4:-15})) found
    while :; do
        found=$(ctl "$1" search "$2" --json 2>/dev/null | grep -o '"peer_id"' | wc -l || true)
        [ "$found" -ge "$3" ] && return 0
        [ $SECONDS -lt $deadline ] || return 1
        sleep 0.1
    done
}

# uploading ID: 0 when peer ID is serving an upload right now.
uploading() {
    ctl "$1" stats --json 2>/dev/null | grep -q '"uploads_in_flight": *[1-9]'
}

# now_ms: milliseconds since the epoch.
now_ms() { date +%s%3N; }

# seconds_between T0 T1: T1 − T0 in seconds, to a hundredth.
seconds_between() {
    local ms=$(($2 - $1))
    printf '%d.%02d' $((ms / 1000)) $((ms % 1000 / 10))
}
