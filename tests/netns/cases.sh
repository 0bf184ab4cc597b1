# shellcheck shell=bash
# The fault cases across hosts. Sourced by tests/netns/run.sh after lib.sh. Each case_NAME builds
# its own network (net_create), prints nothing on success but may set `detail` (shown after ok),
# and returns non-zero with `reason` set on failure; run.sh tears the network down after each.
#
# Hosts: the index at .1, peerN at .1N (10.99.0.0/24), each in its own namespace. The loopback
# versions of these faults are in Tests/IntegrationTests (FaultTests, DownloadTests); here the
# bytes cross veths and a bridge, a cut cable drops packets silently (no RST, no FIN), and netem
# adds delay and loss.

all_cases=(source_killed source_cut_off index_restarted lossy_link per_client_limit)

index_addr=$net_prefix.1
peer_addr() { echo "$net_prefix.1${1#peer}"; }

# hosts_up NAME…: the network with these hosts (index and/or peerN) on it.
hosts_up() {
    local name addr
    net_create || {
        reason="could not make the bridge's namespace"
        return 1
    }
    for name in "$@"; do
        if [ "$name" = index ]; then addr=$index_addr; else addr=$(peer_addr "$name"); fi
        net_add_host "$name" "$addr" || {
            reason="could not add host $name"
            return 1
        }
    done
}

# start_download ID NAME: peer ID downloads NAME in the background (pid in download_pid,
# reply in $work/download.json, errors in $work/download.err).
start_download() {
    ctl "$1" download "$2" --json >"$work/download.json" 2>"$work/download.err" &
    download_pid=$!
}

# finish_download ID NAME ORIGINAL: waits for the download, checks exit status, `verified` and that
# the bytes kept are ORIGINAL's (sha256sum of both files, computed here, not taken from the reply).
finish_download() {
    local status=0
    wait "$download_pid" || status=$?
    if [ $status -ne 0 ]; then
        reason="download exited $status: $(cat "$work/download.err") $(cat "$work/download.json")"
        return 1
    fi
    if ! grep -q '"verified": *true' "$work/download.json"; then
        reason="reply does not say verified: $(cat "$work/download.json")"
        return 1
    fi
    local want got
    want=$(sha256sum <"$3" | cut -d' ' -f1)
    got=$(sha256sum <"$work/$1/downloaded/$2" | cut -d' ' -f1)
    if [ "$want" != "$got" ]; then
        reason="sha256 of the download $got, of the original $want"
        return 1
    fi
}

# Two sources of one file on two hosts, a downloader on a third; the sources are throttled so the
# fault lands mid-file. Sets `original`.
two_sources_and_a_downloader() {
    hosts_up index peer1 peer2 peer3
    original=$work/original.bin
    random_file "$original" 8
    mkdir -p "$work/peer1/shared" "$work/peer3/shared"
    cp "$original" "$work/peer1/shared/big.bin"
    cp "$original" "$work/peer3/shared/big.bin"
    start_index index "$index_addr" --set Index.ReplicationFactor=1 || return 1
    local id
    for id in peer1 peer3; do
        start_peer "$id" "$(peer_addr $id)" "$index_addr" --set Transfer.RateLimit=2M || return 1
    done
    # A cut cable shows only as silence: the downloader gives a source 3 s.
    start_peer peer2 "$(peer_addr peer2)" "$index_addr" --set Transfer.ReadTimeoutSec=3 || return 1
    wait_searchable peer2 big.bin 2 || {
        reason="big.bin never listed at both sources"
        return 1
    }
}

# serving_source: the peer (peer1 or peer3) that is uploading to peer2 now.
serving_source() {
    local id
    for id in peer1 peer3; do
        if uploading "$id"; then
            echo "$id"
            return 0
        fi
    done
    return 1
}

# Starts peer2's download of big.bin from two sources on other hosts; once a MiB has arrived,
# sets `serving` to the source it is coming from.
download_under_way() {
    two_sources_and_a_downloader || return 1
    start_download peer2 big.bin
    wait_for_size "$work/peer2/downloaded/big.bin.part" $((1 << 20)) || {
        reason="no MiB arrived in 20 s"
        return 1
    }
    serving=$(serving_source) || {
        reason="neither source reports an upload in flight"
        return 1
    }
}

# A source killed with SIGKILL mid-file, on another host: its connection resets; the download goes
# on from the other host and is verified whole.
case_source_killed() {
    download_under_way || return 1
    local first=$serving at t0
    at=$(file_size "$work/peer2/downloaded/big.bin.part")
    # Reaped here, so bash does not report the kill on stderr.
    {
        kill -9 "${peer_pid[$first]}"
        wait "${peer_pid[$first]}"
    } 2>/dev/null || true
    t0=$(now_ms)
    finish_download peer2 big.bin "$original" || return 1
    grep -q "\"sources\": *\[\"$first\", *\"peer[13]\"\]" "$work/download.json" || {
        reason="expected sources [$first, other]: $(cat "$work/download.json")"
        return 1
    }
    detail="killed $first at $((at >> 10)) KiB of 8 MiB; the rest in $(seconds_between "$t0" "$(now_ms)") s from the other host"
}

# A source whose cable is pulled mid-file: no reset, no FIN, the bytes just stop. The downloader
# must notice the silence (its stall timeout, 3 s here) and finish from the other host.
case_source_cut_off() {
    download_under_way || return 1
    local first=$serving at
    link_down "$first"
    at=$(file_size "$work/peer2/downloaded/big.bin.part")
    local t0
    t0=$(now_ms)
    finish_download peer2 big.bin "$original" || return 1
    grep -q "\"sources\": *\[\"$first\", *\"peer[13]\"\]" "$work/download.json" || {
        reason="expected sources [$first, other]: $(cat "$work/download.json")"
        return 1
    }
    # The cut source is still running: it was the network that failed, not the process.
    kill -0 "${peer_pid[$first]}" 2>/dev/null || {
        reason="$first died when its link went down"
        return 1
    }
    detail="cut $first at $((at >> 10)) KiB of 8 MiB; finished $(seconds_between "$t0" "$(now_ms)") s later (3 s stall timeout) from the other host"
}

# The index killed with SIGKILL and started again at the same address: it starts empty, and every
# live peer must be searchable again within one heartbeat interval (peers notice on their next
# heartbeat, or on a retry whose backoff is capped at that interval, and register again).
case_index_restarted() {
    local interval=2 id
    hosts_up index peer1 peer2 peer3
    start_index index "$index_addr" --set Index.ReplicationFactor=1 || return 1
    for id in peer1 peer2 peer3; do
        random_file "$work/$id/shared/$id.bin" 1
        start_peer "$id" "$(peer_addr $id)" "$index_addr" --set "Peer.HeartbeatIntervalSec=$interval" || return 1
    done
    for id in peer1 peer2 peer3; do
        wait_searchable peer1 "$id.bin" 1 || {
            reason="$id.bin never listed before the fault"
            return 1
        }
    done
    kill -9 "$index_pid"
    wait "$index_pid" 2>/dev/null || true
    # Long enough for every peer to find the index gone (a heartbeat fails) before it is back.
    sleep "$interval"
    start_index index "$index_addr" --set Index.ReplicationFactor=1 || return 1
    local t0 elapsed_ms
    t0=$(now_ms)
    # One search for all three files per round, so the polling itself adds little.
    local deadline=$((SECONDS + interval * 3)) found=0
    while [ "$found" -lt 3 ]; do
        if [ $SECONDS -ge $deadline ]; then
            reason="only $found of 3 peers listed again within $((interval * 3)) s: $(tail -3 "$work/peer1.log")"
            return 1
        fi
        sleep 0.05
        found=$(ctl peer2 search --substring .bin --json 2>/dev/null | grep -o '"peer_id"' | wc -l || true)
    done
    elapsed_ms=$(($(now_ms) - t0))
    # One interval, plus 1 s for a process start and three searches on 2 busy cores.
    if [ $elapsed_ms -gt $((interval * 1000 + 1000)) ]; then
        reason="all peers listed again only after $(seconds_between 0 $elapsed_ms) s (heartbeat ${interval} s)"
        return 1
    fi
    detail="3 peers listed again $(seconds_between 0 $elapsed_ms) s after the restart (heartbeat ${interval} s)"
}

# impair HOST: 20 ms delay and 1 % loss on everything HOST sends, with netem. A kernel without
# netem (CONFIG_NET_SCH_NETEM) cannot delay packets at all; there, 1 % loss comes from an
# nftables rule (numgen random) and a 32 Mbit/s token bucket (tbf) makes the link a slow one, so
# the transfer still spans many round trips with losses and retransmissions. Sets `impairment`;
# 1 when neither is possible.
impair() {
    local host
    host=$(ns "$1")
    if tc -n "$host" qdisc add dev eth0 root netem delay 20ms loss 1% 2>/dev/null; then
        impairment="netem 20 ms delay + 1 % loss each way"
        return 0
    fi
    command -v nft >/dev/null || return 1
    ip netns exec "$host" nft -f - <<'RULES' || return 1
table inet lossy {
    chain out {
        type filter hook output priority 0; policy accept;
        numgen random mod 100 < 1 drop
    }
}
RULES
    tc -n "$host" qdisc add dev eth0 root tbf rate 32mbit burst 32kb latency 100ms || return 1
    impairment="1 % loss each way (nftables) on a 32 Mbit/s link (tbf); no delay: this kernel has no netem"
}

# A multi-MiB download over a bad link: delay and loss on both hosts' egress. It must complete
# verified; the time is reported.
case_lossy_link() {
    hosts_up index peer1 peer2
    random_file "$work/peer1/shared/far.bin" 8
    start_index index "$index_addr" --set Index.ReplicationFactor=1 || return 1
    start_peer peer1 "$(peer_addr peer1)" "$index_addr" || return 1
    start_peer peer2 "$(peer_addr peer2)" "$index_addr" || return 1
    wait_searchable peer2 far.bin 1 || {
        reason="far.bin never listed"
        return 1
    }
    if ! impair peer1 || ! impair peer2; then
        skipped="this kernel has no netem (sch_netem), and nft or tbf is missing: no delay or loss possible"
        return 0
    fi
    local t0
    t0=$(now_ms)
    start_download peer2 far.bin
    finish_download peer2 far.bin "$work/peer1/shared/far.bin" || return 1
    detail="8 MiB verified in $(seconds_between "$t0" "$(now_ms)") s over $impairment"
}

# stats_over_held HOST COUNT HOLD: from HOST, opens COUNT connections to the index (each asks for
# STATS once, so it is surely admitted), then one more, and prints the first line that one
# receives ("served: …" when it is a STATS reply); then keeps them all open HOLD seconds more.
# Bash's /dev/tcp, no client binary: any program on another machine.
stats_over_held() {
    ip netns exec "$(ns "$1")" bash -c '
        set -u
        count=$1 addr=$2 hold=$3
        ask() { printf "%s\n" "{\"type\":\"STATS_REQUEST\",\"timestamp\":0,\"version\":\"1.0\",\"peer_id\":null,\"request_id\":null,\"payload\":{}}" >&"$1"; }
        for fd in $(seq 10 $((9 + count))); do
            eval "exec $fd<>/dev/tcp/$addr/7000" || exit 1
            ask "$fd"
            IFS= read -r -t 5 line <&"$fd" || { echo "held connection $fd got no reply"; exit 1; }
        done
        exec 9<>/dev/tcp/$addr/7000 || exit 1
        ask 9 2>/dev/null || true
        if IFS= read -r -t 5 line <&9; then
            case "$line" in *STATS_RESPONSE*) echo "served: ${line:0:60}" ;; *) echo "$line" ;; esac
        else
            echo "no line in 5 s"
        fi
        sleep "$hold"
    ' _ "$2" "$index_addr" "$3"
}

# The per-client limit between real hosts: a host holding its share is refused with a reason of
# its own, while another host is still served: the index counts by source address.
case_per_client_limit() {
    hosts_up index peer1 peer2
    start_index index "$index_addr" --set Index.MaxConnectionsPerClient=3 || return 1
    stats_over_held peer1 3 3 >"$work/greedy.txt" &
    local holder=$! greedy other
    local deadline=$((SECONDS + 15))
    until [ -s "$work/greedy.txt" ] || [ $SECONDS -ge $deadline ]; do sleep 0.05; done
    # peer1's host still holds its three connections now.
    other=$(stats_over_held peer2 0 0)
    wait "$holder" || true
    greedy=$(cat "$work/greedy.txt")
    case "$greedy" in
    *too_many_connections_from_address*) ;;
    *)
        reason="the 4th connection from peer1's host got: $greedy"
        return 1
        ;;
    esac
    case "$other" in
    served:*) ;;
    *)
        reason="peer2's host, with no connection open, got: $other"
        return 1
        ;;
    esac
    grep -q "limit per client address reached" "$work/index.log" || {
        reason="the index did not log the refusal"
        return 1
    }
    detail="4th connection from $(peer_addr peer1) refused (too_many_connections_from_address); $(peer_addr peer2) served meanwhile"
}
