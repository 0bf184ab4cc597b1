# Cases for the optional cluster key (ClusterKeyFile= in [Index] and [Peer], p2p.conf(5) CLUSTER
# KEY) under the shipped units: User=p2p, ProtectSystem=strict and the rest of the sandbox must
# still let the daemons read a key file made the way the man page says. Sourced by
# systemd-e2e.sh, which provides the shared functions; uses index_ensure_started and peer_* from
# cases/index.sh and cases/peer.sh.

all_cases+=(
    cluster_key_members
    cluster_key_outsiders_refused
    cluster_key_world_readable
    cluster_key_outside_etc
)

# As in p2p.conf(5): one key file for all daemons, named by drop-ins (the shipped index.conf and
# peer.conf stay untouched, so package upgrades do not ask about them).
cluster_key_file=/etc/p2p/cluster.key
cluster_other_key_file=/etc/p2p/other-cluster.key
cluster_index_dropin=/etc/p2p/index.conf.d/50-cluster-key.conf
cluster_peer_dropin=/etc/p2p/peer.conf.d/50-cluster-key.conf
# peer3 holds another key (its own drop-in wins over peer.conf.d, see FILES in p2p.conf(5)).
cluster_peer3_dropin=/etc/p2p/peers/peer3.conf.d/50-other-key.conf
cluster_units=(p2p-index.service p2p-peer@peer1.service p2p-peer@peer2.service)

# cluster_make_key PATH: a key file made as an admin following p2p.conf(5) would, as root.
cluster_make_key() {
    ct sh -c "(umask 027 && head -c 32 /dev/urandom > $1) && chown root:p2p $1 && chmod 0640 $1"
}

# cluster_restart: restarts the index and both peers (status 0 if all came up). The peers stop
# first: restarted together, a peer still running with the old setting would unregister from
# the index already running with the new one, and be refused.
cluster_restart() {
    ct systemctl reset-failed "${cluster_units[@]}" 2>/dev/null
    ct timeout 30 systemctl stop "${cluster_units[@]:1}" 2>/dev/null &&
        ct timeout 30 systemctl restart "${cluster_units[0]}" &&
        ct timeout 30 systemctl start "${cluster_units[@]:1}"
}

# cluster_key_on: the key file, the two drop-ins, then the three daemons restarted.
cluster_key_on() {
    peer_ensure_started
    cluster_make_key $cluster_key_file || return 1
    ct sh -c "mkdir -p $(dirname $cluster_index_dropin) $(dirname $cluster_peer_dropin) &&
        printf '[Index]\nClusterKeyFile=$cluster_key_file\n' > $cluster_index_dropin &&
        printf '[Peer]\nClusterKeyFile=$cluster_key_file\n' > $cluster_peer_dropin" || return 1
    cluster_restart
}

# cluster_key_off: back to the keyless system the other cases expect: no key, no drop-ins, no
# peer3, index and peers restarted and active.
cluster_key_off() {
    ct timeout 30 systemctl stop p2p-peer@peer3.service p2p-peer@peer3.socket 2>/dev/null
    ct systemctl reset-failed p2p-peer@peer3.service p2p-peer@peer3.socket 2>/dev/null
    ct rm -rf $cluster_key_file $cluster_other_key_file $cluster_index_dropin $cluster_peer_dropin \
        "$(dirname $cluster_peer3_dropin)" /var/lib/p2p/peer1/shared/keyed.bin \
        /var/lib/p2p/peer2/downloaded/keyed.bin
    cluster_restart
}

# cluster_key_id UNIT: the key id UNIT's daemon last logged ("cluster key in use: cluster key
# 1a2b3c4d"), empty if none.
cluster_key_id() {
    ct journalctl -b -u "$1" --no-pager -o cat | grep -o 'cluster key in use: cluster key [0-9a-f]*' |
        tail -n 1 | awk '{print $NF}'
}

# cluster_refusals UNIT: how many connections UNIT's daemon logged as refused for the key.
cluster_refusals() {
    journal_count "$1" 'refused a connection without the cluster key|hung up on the cluster challenge'
}

case_cluster_key_members() {
    local name=cluster_key_members unit ids out source copy refused_before
    refused_before=$(($(cluster_refusals p2p-index.service) + $(cluster_refusals p2p-peer@peer1.service)))
    if ! cluster_key_on; then
        fail $name "with ClusterKeyFile= set, systemctl restart ${cluster_units[*]} failed"
        cluster_key_off
        return
    fi
    for unit in "${cluster_units[@]}"; do
        if ! is_active "$unit"; then
            fail $name "$unit is $(ct systemctl is-active "$unit") with the key"
            cluster_key_off
            return
        fi
    done
    ids=$(for unit in "${cluster_units[@]}"; do cluster_key_id "$unit"; done | sort -u)
    if [ -z "$ids" ] || [ "$(printf '%s\n' "$ids" | wc -l)" -ne 1 ]; then
        fail $name "the daemons do not log one common key id: '$(printf '%s' "$ids" | paste -sd' ')'"
        cluster_key_off
        return
    fi
    # Registered through the keyed index, found, downloaded from the keyed peer1.
    peer_share peer1 keyed.bin 256
    if ! wait_until 20 peer_finds peer2 keyed.bin; then
        fail $name "p2pctl --peer peer2 search keyed.bin finds nothing 20 s after cp (key in use)"
        cluster_key_off
        return
    fi
    if ! out=$(ct p2pctl --peer peer2 download keyed.bin 2>&1); then
        fail $name "p2pctl --peer peer2 download keyed.bin with the key: $out"
        cluster_key_off
        return
    fi
    source=$(sha256_of /var/lib/p2p/peer1/shared/keyed.bin)
    copy=$(sha256_of /var/lib/p2p/peer2/downloaded/keyed.bin)
    local refusals
    refusals=$(($(cluster_refusals p2p-index.service) + $(cluster_refusals p2p-peer@peer1.service) - refused_before))
    if [ -z "$copy" ] || [ "$copy" != "$source" ]; then
        fail $name "downloaded/keyed.bin has sha256 '$copy', the source '$source'"
    elif [[ "$out" != *"sha256 verified"* ]]; then
        fail $name "p2pctl did not say 'sha256 verified': $out"
    elif [ "$refusals" -ne 0 ]; then
        fail $name "members were refused $refusals times"
    else
        ok $name "key root:p2p 0640, id $ids on index, peer1, peer2; search, download, sha256sum equal"
    fi
    cluster_key_off
}

# cluster_peer3_reason: why peer3 (another key) cannot reach the index, from the ERROR field of
# its "index unreachable" journal entry (`journalctl -o verbose` shows it), empty if not logged.
cluster_peer3_reason() {
    ct journalctl -b -u p2p-peer@peer3.service -o json --no-pager | grep '"MESSAGE":"index unreachable' |
        grep -m1 -o '"ERROR":"[^"]*holds a different key[^"]*"'
}

case_cluster_key_outsiders_refused() {
    local name=cluster_key_outsiders_refused index_before peer_before reply obtain
    if ! cluster_key_on; then
        fail $name "with ClusterKeyFile= set, systemctl restart ${cluster_units[*]} failed"
        cluster_key_off
        return
    fi
    index_before=$(cluster_refusals p2p-index.service)
    peer_before=$(cluster_refusals p2p-peer@peer1.service)
    # A client with no key: one plain request line, as before the key (bash's /dev/tcp).
    reply=$(request 7000 '{"type":"SEARCH_REQUEST","payload":{"query":{"file_name":"keyed.bin"}}}')
    obtain=$(request 7100 '{"type":"OBTAIN_REQUEST","payload":{"file_name":"keyed.bin"}}')
    if [[ "$reply" != *'cluster_key_required'* ]]; then
        fail $name "a keyless SEARCH_REQUEST to the index got '$reply', want cluster_key_required"
        cluster_key_off
        return
    fi
    if [[ "$obtain" != *'cluster_key_required'* ]]; then
        fail $name "a keyless OBTAIN_REQUEST to peer1 got '$obtain', want cluster_key_required"
        cluster_key_off
        return
    fi
    # A peer holding another key: it starts, but the index does not let it in (it sees the
    # index fail the other key's proof and hangs up), so it registers nothing.
    cluster_make_key $cluster_other_key_file
    ct sh -c "mkdir -p $(dirname $cluster_peer3_dropin) &&
        printf '[Peer]\nClusterKeyFile=$cluster_other_key_file\n' > $cluster_peer3_dropin"
    ct timeout 30 systemctl start p2p-peer@peer3.service
    wait_for 10 '[ -n "$(cluster_peer3_reason)" ]'
    wait_for 5 '[ "$(cluster_refusals p2p-index.service)" -ge $((index_before + 2)) ]'
    local index_after peer_after other_said
    index_after=$(cluster_refusals p2p-index.service)
    peer_after=$(cluster_refusals p2p-peer@peer1.service)
    other_said=$(cluster_peer3_reason)
    if [ "$peer_after" -le "$peer_before" ]; then
        fail $name "peer1's journal has no refusal of the keyless OBTAIN_REQUEST"
    elif [ "$index_after" -lt $((index_before + 2)) ]; then
        fail $name "the index's journal has $((index_after - index_before)) refusals, want the keyless client's and peer3's"
    elif [ -z "$other_said" ]; then
        fail $name "peer3 (another key) does not log that the index holds a different key"
    else
        local counts="index logged $((index_after - index_before)) refusals, peer1 $((peer_after - peer_before))"
        ok $name "keyless: '$reply'; $counts; peer3: $other_said"
    fi
    cluster_key_off
}

case_cluster_key_world_readable() {
    local name=cluster_key_world_readable unit restarts=() status state now reason shown=""
    if ! cluster_key_on; then
        fail $name "with ClusterKeyFile= set, systemctl restart ${cluster_units[*]} failed"
        cluster_key_off
        return
    fi
    # The admin's mistake: a key every local user can read. Both daemons must refuse it.
    ct chmod 0644 $cluster_key_file
    if ct timeout 30 systemctl restart p2p-index.service p2p-peer@peer1.service 2>/dev/null; then
        fail $name "systemctl restart succeeded with the key file mode 0644"
        cluster_key_off
        return
    fi
    # A manual start resets NRestarts, so count from here; then wait longer than RestartSec.
    for unit in p2p-index.service p2p-peer@peer1.service; do
        restarts+=("$(unit_prop $unit NRestarts)")
    done
    sleep $((index_restart_sec + 1))
    local i=0
    for unit in p2p-index.service p2p-peer@peer1.service; do
        status=$(unit_prop $unit ExecMainStatus)
        state=$(unit_prop $unit ActiveState)
        now=$(unit_prop $unit NRestarts)
        reason=$(ct journalctl -b -u $unit --no-pager -o cat |
            grep -E "^p2p-(indexd|peerd): .*ClusterKeyFile=$cluster_key_file: the key file is accessible to other users" |
            grep -F '(mode 644)' |
            tail -n 1)
        if [ "$status" != 78 ]; then
            fail $name "$unit: exit status $status, want 78 (EX_CONFIG)"
        elif [ "$state" != failed ] || [ "$now" != "${restarts[$i]}" ]; then
            fail $name "$unit: ActiveState=$state, NRestarts ${restarts[$i]} -> $now: want failed, not restarted"
        elif [ -z "$reason" ]; then
            fail $name "$unit: no one-line reason naming ClusterKeyFile= and mode 644 in the journal"
        else
            [ $i -eq 0 ] && shown=$reason
            i=$((i + 1))
            continue
        fi
        cluster_key_off
        return
    done
    # Fixed as the message says: the units start again.
    ct chmod 0640 $cluster_key_file
    if ! cluster_restart; then
        fail $name "after chmod 0640 the units do not start again"
    else
        ok $name "index and peer1: exit 78, failed, not restarted; journal: $shown"
    fi
    cluster_key_off
}

# A key the daemon could read without the sandbox (root:p2p 0640 in the world-searchable /home)
# but not under the shipped unit, whose ProtectHome=yes hides /home: p2p.conf(5) says to keep
# it in /etc/p2p, and the refusal must say what is wrong rather than loop.
case_cluster_key_outside_etc() {
    local name=cluster_key_outside_etc status reason
    index_ensure_started
    cluster_make_key /home/cluster.key
    ct sh -c "mkdir -p $(dirname $cluster_index_dropin) &&
        printf '[Index]\nClusterKeyFile=/home/cluster.key\n' > $cluster_index_dropin"
    if ! ct runuser -u p2p -- test -r /home/cluster.key; then
        fail $name "user p2p cannot read /home/cluster.key even outside the unit"
    elif ct timeout 30 systemctl restart p2p-index.service 2>/dev/null; then
        fail $name "p2p-index started with its key under /home, which ProtectHome=yes hides"
    else
        status=$(unit_prop p2p-index.service ExecMainStatus)
        reason=$(ct journalctl -b -u p2p-index.service --no-pager -o cat |
            grep -E '^p2p-indexd: .*ClusterKeyFile=/home/cluster.key: ' | tail -n 1)
        if [ "$status" != 78 ]; then
            fail $name "exit status $status, want 78 (EX_CONFIG)"
        elif [ -z "$reason" ]; then
            fail $name "no one-line reason naming ClusterKeyFile=/home/cluster.key in the journal"
        else
            ok $name "readable by user p2p, not under the unit: exit 78; journal: $reason"
        fi
    fi
    ct rm -f /home/cluster.key $cluster_index_dropin
    ct systemctl reset-failed p2p-index.service
    ct timeout 30 systemctl start p2p-index.service
}
