# Cases for p2p-peerd, p2pctl and their units (p2p-peer@.service, p2p-peer@.socket): the user
# flow of the spec ("How people use it") under a real systemd, as root, as a member of group p2p
# and as a user outside it. Sourced by systemd-e2e.sh, which provides the helpers; uses
# index_ensure_started from cases/index.sh.

requires+=(usr/sbin/p2p-peerd usr/bin/p2pctl lib/systemd/system/p2p-peer@.service
    lib/systemd/system/p2p-peer@.socket)

# Each case first restores what it needs (peer_ensure_started), so any one runs alone.
all_cases+=(
    peer_starts
    peer_control_socket
    peer_share_search_download
    peer_group_access
    peer_journal_fields
    peer_socket_activation
    peer_reload
    peer_watchdog_restart
    peer_interrupted_download_resumes
)

peer_restart_sec=2 # RestartSec= of p2p-peer@.service
peer_member=p2pmember   # a user in group p2p (supplementary), created by peer_ensure_users
peer_outsider=p2poutsider # a user in no p2p group

peer_ensure_started() {
    index_ensure_started
    local id
    for id in peer1 peer2; do
        is_active "p2p-peer@$id.service" && continue
        ct systemctl reset-failed "p2p-peer@$id.service" "p2p-peer@$id.socket" 2>/dev/null
        ct timeout 30 systemctl start "p2p-peer@$id.service"
    done
}

peer_ensure_users() {
    ct id "$peer_member" >/dev/null 2>&1 && return 0
    ct useradd --create-home --shell /bin/bash "$peer_member" &&
        ct usermod --append --groups p2p "$peer_member" &&
        ct useradd --create-home --shell /bin/bash "$peer_outsider"
}

# as USER CMD...: CMD inside the container as USER with USER's supplementary groups (runuser
# calls initgroups), or as root.
as_user() {
    local user=$1
    shift
    if [ "$user" = root ]; then
        ct "$@"
    else
        ct runuser -u "$user" -- "$@"
    fi
}

# sha256_of PATH: the SHA-256 of a file inside the container, by coreutils (not by our code).
sha256_of() {
    ct sha256sum "$1" | cut -d' ' -f1
}

# peer_share ID NAME KIB: puts a fresh random file into peer ID's shared/ the way an admin would:
# written elsewhere, then `cp` (as root, umask 022: mode 0644, owner root; no chown needed).
peer_share() {
    ct sh -c "head -c $(($3 * 1024)) /dev/urandom >/root/$2 && cp /root/$2 /var/lib/p2p/$1/shared/"
}

# peer_finds ID NAME: p2pctl --peer ID search NAME succeeds (the index knows a holder).
peer_finds() {
    ct p2pctl --peer "$1" search "$2" >/dev/null 2>&1
}

case_peer_starts() {
    local name=peer_starts unit
    index_ensure_started
    ct timeout 30 systemctl stop p2p-peer@peer1.service p2p-peer@peer2.service 2>/dev/null
    if ! ct timeout 30 systemctl start p2p-peer@peer1 p2p-peer@peer2; then
        fail $name "systemctl start p2p-peer@peer1 p2p-peer@peer2 failed"
        return
    fi
    for unit in p2p-index.service p2p-index.socket p2p-peer@peer1.service p2p-peer@peer1.socket \
        p2p-peer@peer2.service p2p-peer@peer2.socket; do
        is_active "$unit" || { fail $name "$unit is $(ct systemctl is-active "$unit")"; return; }
    done
    local status
    status=$(unit_prop p2p-peer@peer1.service StatusText)
    if [ "$(unit_prop p2p-peer@peer1.service Type)" != notify ]; then
        fail $name "Type=$(unit_prop p2p-peer@peer1.service Type)"
    elif [ -z "$status" ]; then
        fail $name "no STATUS= from peer1"
    else
        ok $name "index, peer1, peer2 and their sockets active; peer1: $status"
    fi
}

case_peer_control_socket() {
    local name=peer_control_socket got
    peer_ensure_started
    got=$(ct stat -c '%F %a %U:%G' /run/p2p/peer1.sock)
    if [ "$got" != "socket 660 p2p:p2p" ]; then
        fail $name "/run/p2p/peer1.sock is '$got', want 'socket 660 p2p:p2p'"
        return
    fi
    got=$(ct stat -c '%a %U:%G' /run/p2p)
    if [ "$got" != "750 p2p:p2p" ]; then
        fail $name "/run/p2p is '$got', want '750 p2p:p2p' (tmpfiles.d)"
        return
    fi
    # One instance stopping, socket unit and all, must not take /run/p2p (and the others'
    # sockets) with it, as RuntimeDirectory= would.
    ct timeout 30 systemctl stop p2p-peer@peer1.service p2p-peer@peer1.socket
    if ! ct test -d /run/p2p; then
        fail $name "/run/p2p is gone after stopping p2p-peer@peer1"
    elif ! ct test -S /run/p2p/peer2.sock; then
        fail $name "/run/p2p/peer2.sock is gone after stopping p2p-peer@peer1"
    elif ct test -e /run/p2p/peer1.sock; then
        fail $name "/run/p2p/peer1.sock stays after its socket unit stopped (RemoveOnStop=)"
    elif ! ct p2pctl --peer peer2 status >/dev/null; then
        fail $name "peer2 does not answer after peer1 stopped"
    else
        ok $name "peer1.sock socket 660 p2p:p2p; /run/p2p 750 p2p:p2p survives peer1 stopping"
    fi
    ct timeout 30 systemctl start p2p-peer@peer1.service
}

case_peer_share_search_download() {
    local name=peer_share_search_download out source copy
    peer_ensure_started
    peer_share peer1 song.ogg 300
    # Picked up without a restart (inotify), hashed, registered: then peer2 finds it.
    if ! wait_until 20 peer_finds peer2 song.ogg; then
        fail $name "p2pctl --peer peer2 search song.ogg finds nothing 20 s after cp"
        return
    fi
    if ! out=$(ct p2pctl --peer peer2 download song.ogg 2>&1); then
        fail $name "p2pctl --peer peer2 download song.ogg: $out"
        return
    fi
    local said=$out
    source=$(sha256_of /var/lib/p2p/peer1/shared/song.ogg)
    copy=$(sha256_of /var/lib/p2p/peer2/downloaded/song.ogg)
    if [ -z "$copy" ] || [ "$copy" != "$source" ]; then
        fail $name "downloaded/song.ogg has sha256 '$copy', the source '$source'"
    elif [[ "$said" != *"sha256 verified"* ]]; then
        fail $name "p2pctl did not say 'sha256 verified': $said"
    elif ct test -e /var/lib/p2p/peer2/downloaded/song.ogg.part; then
        fail $name "song.ogg.part left behind"
    elif ! out=$(ct p2pctl --peer peer2 stats 2>&1) || [[ "$out" != *peer2* ]]; then
        fail $name "p2pctl --peer peer2 stats: $out"
    else
        ok $name "cp into shared/, found by search, downloaded, sha256sum equal; p2pctl: $(tail -n 1 <<<"$said")"
    fi
}

case_peer_group_access() {
    local name=peer_group_access out err status
    peer_ensure_started
    peer_ensure_users || { fail $name "could not create the test users"; return; }
    wait_until 20 peer_finds peer2 song.ogg || peer_share peer1 song.ogg 300
    wait_until 20 peer_finds peer2 song.ogg
    # A supplementary member of p2p: search, download (then copied as the member with --to), stats.
    if ! out=$(as_user $peer_member p2pctl --peer peer2 search song.ogg 2>&1); then
        fail $name "p2pctl search as $peer_member (group p2p): $out"
        return
    fi
    if ! out=$(as_user $peer_member p2pctl --peer peer2 download song.ogg --to /home/$peer_member 2>&1); then
        fail $name "p2pctl download --to as $peer_member: $out"
        return
    fi
    if [ "$(ct stat -c %U /home/$peer_member/song.ogg 2>&1)" != $peer_member ] ||
        [ "$(sha256_of /home/$peer_member/song.ogg)" != "$(sha256_of /var/lib/p2p/peer1/shared/song.ogg)" ]; then
        fail $name "--to did not leave a correct copy owned by $peer_member: $out"
        return
    fi
    if ! out=$(as_user $peer_member p2pctl --peer peer2 stats 2>&1); then
        fail $name "p2pctl stats as $peer_member: $out"
        return
    fi
    # Outside the group: refused, non-zero, one line on stderr. First by the file modes (/run/p2p
    # is 0750), then, with the modes opened up, by the daemon's SO_PEERCRED/SO_PEERGROUPS check.
    status=0
    err=$(as_user $peer_outsider p2pctl --peer peer2 stats 2>&1 >/dev/null) || status=$?
    if [ "$status" -eq 0 ] || [ "$(printf '%s\n' "$err" | wc -l)" -ne 1 ] || [[ "$err" != p2pctl:* ]]; then
        fail $name "as $peer_outsider: exit $status, stderr '$err' (want non-zero and one 'p2pctl: …' line)"
        return
    fi
    local by_mode=$err
    ct chmod 0755 /run/p2p
    ct chmod 0666 /run/p2p/peer2.sock
    status=0
    err=$(as_user $peer_outsider p2pctl --peer peer2 stats 2>&1 >/dev/null) || status=$?
    ct chmod 0750 /run/p2p
    ct chmod 0660 /run/p2p/peer2.sock
    if [ "$status" -eq 0 ] || [ "$(printf '%s\n' "$err" | wc -l)" -ne 1 ] || [[ "$err" != *"not in group p2p"* ]]; then
        fail $name "with the socket world-writable, $peer_outsider got exit $status, stderr '$err' (want the daemon's refusal)"
    else
        ok $name "member: search, download --to, stats; outsider refused: '$by_mode'; past the modes: '$err'"
    fi
}

# journal_entry UNIT MESSAGE: the first of the daemon's own JSON entries of UNIT this boot whose
# MESSAGE starts with MESSAGE.
journal_entry() {
    ct journalctl -b -u "$1" -o json --no-pager | grep '"SYSLOG_IDENTIFIER":"p2p-peerd"' |
        grep -m1 "\"MESSAGE\":\"$2"
}

# has_fields ENTRY FIELD...: prints the fields ENTRY lacks (each FIELD a `"KEY":"value` prefix).
lacks_fields() {
    local entry=$1 field missing=""
    shift
    for field in "$@"; do
        [[ "$entry" == *"$field"* ]] || missing="$missing $field"
    done
    printf '%s' "$missing"
}

case_peer_journal_fields() {
    local name=peer_journal_fields serving downloaded warning missing hash
    peer_ensure_started
    wait_until 20 peer_finds peer2 song.ogg || peer_share peer1 song.ogg 300
    wait_until 20 peer_finds peer2 song.ogg
    ct p2pctl --peer peer2 download song.ogg >/dev/null 2>&1
    # A file the daemon (user p2p) cannot read: logged as a warning, not shared.
    ct sh -c 'umask 077 && head -c 1024 /dev/urandom >/var/lib/p2p/peer1/shared/secret.bin'
    wait_for 10 '[ -n "$(journal_entry p2p-peer@peer1.service "not sharing")" ]'
    serving=$(journal_entry p2p-peer@peer1.service serving)
    downloaded=$(journal_entry p2p-peer@peer2.service downloaded)
    warning=$(journal_entry p2p-peer@peer1.service 'not sharing')
    ct rm -f /var/lib/p2p/peer1/shared/secret.bin
    hash=$(sha256_of /var/lib/p2p/peer1/shared/song.ogg)
    if [ -z "$serving" ]; then
        fail $name "no 'serving' entry of p2p-peerd in journalctl -u p2p-peer@peer1"
        return
    fi
    missing=$(lacks_fields "$serving" '"PRIORITY":"6"' '"PEER_ID":"peer1"' '"FILE_NAME":"song.ogg"' '"BYTES":"' \
        '"REMOTE":"' '"_SYSTEMD_UNIT":"p2p-peer@peer1.service"' '"CODE_FILE":"')
    [ -z "$missing" ] || { fail $name "peer1's 'serving' entry lacks$missing: $serving"; return; }
    missing=$(lacks_fields "$downloaded" '"PRIORITY":"6"' '"PEER_ID":"peer2"' '"FILE_NAME":"song.ogg"' \
        "\"SHA256\":\"$hash\"" '"BYTES":"307200"' '"SOURCE_PEERS":"peer1"')
    [ -z "$missing" ] || { fail $name "peer2's 'downloaded' entry lacks$missing: $downloaded"; return; }
    missing=$(lacks_fields "$warning" '"PRIORITY":"4"' '"PEER_ID":"peer1"' '"FILE_NAME":"')
    if [ -z "$warning" ] || [ -n "$missing" ]; then
        fail $name "no warning (PRIORITY=4) for an unreadable shared file${missing:+, lacks$missing}: $warning"
    else
        ok $name "serving: PRIORITY=6 PEER_ID FILE_NAME BYTES REMOTE; downloaded: SHA256 BYTES SOURCE_PEERS; unreadable file: PRIORITY=4"
    fi
}

case_peer_socket_activation() {
    local name=peer_socket_activation out
    peer_ensure_started
    ct timeout 30 systemctl stop p2p-peer@peer2.service 2>/dev/null
    if is_active p2p-peer@peer2.service; then
        fail $name "p2p-peer@peer2.service still active after stop"
        return
    fi
    if ! is_active p2p-peer@peer2.socket || ! ct test -S /run/p2p/peer2.sock; then
        fail $name "p2p-peer@peer2.socket is not active, or /run/p2p/peer2.sock is missing"
        return
    fi
    if ! out=$(ct timeout 30 p2pctl --peer peer2 status 2>&1); then
        fail $name "p2pctl --peer peer2 status on the stopped service: $out"
    elif ! is_active p2p-peer@peer2.service; then
        fail $name "the service is $(ct systemctl is-active p2p-peer@peer2.service) after p2pctl connected"
    elif [ "$(journal_count p2p-peer@peer2.service 'using the control socket passed by systemd')" -lt 1 ]; then
        fail $name "the daemon did not say it uses the socket passed by systemd"
    else
        ok $name "stopped service started by p2pctl status, which got its answer"
    fi
}

case_peer_reload() {
    local name=peer_reload pid reloading ready before
    peer_ensure_started
    pid=$(unit_prop p2p-peer@peer1.service MainPID)
    reloading=$(notifications p2p-peer@peer1.service "$pid" RELOADING=1)
    ready=$(notifications p2p-peer@peer1.service "$pid" READY=1)
    before=$(journal_count p2p-peer@peer1.service 'configuration re-read')
    debug_log on
    if ! ct timeout 30 systemctl reload p2p-peer@peer1.service; then
        debug_log off
        fail $name "systemctl reload p2p-peer@peer1 failed"
        return
    fi
    wait_for 5 '[ "$(notifications p2p-peer@peer1.service "$pid" READY=1)" -gt "$ready" ]'
    debug_log off
    wait_for 5 '[ "$(journal_count p2p-peer@peer1.service "configuration re-read")" -gt "$before" ]'
    if [ "$(notifications p2p-peer@peer1.service "$pid" RELOADING=1)" -le "$reloading" ]; then
        fail $name "systemd got no RELOADING=1 from peer1"
    elif [ "$(notifications p2p-peer@peer1.service "$pid" READY=1)" -le "$ready" ]; then
        fail $name "systemd got no READY=1 after the reload"
    elif [ "$(unit_prop p2p-peer@peer1.service MainPID)" != "$pid" ]; then
        fail $name "MainPID changed from $pid: the reload restarted the daemon"
    elif [ "$(journal_count p2p-peer@peer1.service 'configuration re-read')" -le "$before" ]; then
        fail $name "no 'configuration re-read' in the journal"
    elif ! wait_for 5 '[ "$(unit_prop p2p-peer@peer1.service ActiveState,SubState | paste -sd/)" = active/running ]'; then
        fail $name "after the reload: $(unit_prop p2p-peer@peer1.service ActiveState,SubState | paste -sd/)"
    else
        ok $name "RELOADING=1 then READY=1, same MainPID, active/running"
    fi
}

case_peer_watchdog_restart() {
    peer_ensure_started
    watchdog_restart_case peer_watchdog_restart p2p-peer@peer1.service "$peer_restart_sec"
}

peer_rate_dropin=/etc/p2p/peers/peer1.conf.d/50-e2e-rate.conf

part_size() {
    stat -c %s "$container_root/var/lib/p2p/peer2/downloaded/big.bin.part" 2>/dev/null || echo 0
}

case_peer_interrupted_download_resumes() {
    local name=peer_interrupted_download_resumes pid out status part size reply
    peer_ensure_started
    # peer1 serves at 1 MiB/s, so a 4 MiB download takes 4 s and can be stopped mid-file.
    ct mkdir -p "$(dirname "$peer_rate_dropin")"
    printf '[Transfer]\nRateLimit=1M\n' >"$container_root$peer_rate_dropin"
    ct timeout 30 systemctl restart p2p-peer@peer1.service
    ct rm -f /var/lib/p2p/peer2/downloaded/big.bin /var/lib/p2p/peer2/downloaded/big.bin.part
    peer_share peer1 big.bin 4096
    size=$((4096 * 1024))
    if ! wait_until 20 peer_finds peer2 big.bin; then
        fail $name "peer2 does not find big.bin"
        peer_restore_rate
        return
    fi
    ct p2pctl --peer peer2 download big.bin --json >"$work/interrupted.out" 2>&1 &
    pid=$!
    if ! wait_for 10 '[ "$(part_size)" -ge $((1024 * 1024)) ]'; then
        kill $pid 2>/dev/null
        wait $pid
        fail $name "no 1 MiB of big.bin.part after 10 s (has $(part_size) bytes); p2pctl: $(cat "$work/interrupted.out")"
        peer_restore_rate
        return
    fi
    ct timeout 30 systemctl stop p2p-peer@peer2.service
    status=0
    wait $pid || status=$?
    part=$(part_size)
    local code exit_status
    code=$(unit_prop p2p-peer@peer2.service ExecMainCode)
    exit_status=$(unit_prop p2p-peer@peer2.service ExecMainStatus)
    if [ "$status" -eq 0 ]; then
        fail $name "p2pctl download succeeded although its daemon was stopped mid-file"
    elif ct test -e /var/lib/p2p/peer2/downloaded/big.bin; then
        fail $name "big.bin exists under its final name after an interrupted download"
    elif [ "$part" -le 0 ] || [ "$part" -ge "$size" ]; then
        fail $name "big.bin.part has $part bytes after the stop (want 0 < n < $size)"
    elif [ "$code" != 1 ] || [ "$exit_status" != 0 ]; then
        fail $name "stopped mid-download, the daemon ended with code $code status $exit_status, want exit 0"
    elif ! ct timeout 30 systemctl start p2p-peer@peer2.service; then
        fail $name "systemctl start p2p-peer@peer2 failed"
    elif ! reply=$(ct timeout 60 p2pctl --peer peer2 download big.bin --json 2>&1); then
        fail $name "the resumed download failed: $reply"
    else
        local resumed
        resumed=$(sed -n 's/.*"resumed_from":\([0-9]*\).*/\1/p' <<<"$reply")
        if [ -z "$resumed" ] || [ "$resumed" -le 0 ]; then
            fail $name "resumed_from is '$resumed' (want > 0): $reply"
        elif [[ "$reply" != *'"verified":true'* ]]; then
            fail $name "not verified: $reply"
        elif [ "$(sha256_of /var/lib/p2p/peer2/downloaded/big.bin)" != "$(sha256_of /var/lib/p2p/peer1/shared/big.bin)" ]; then
            fail $name "the resumed big.bin differs from the source"
        elif ct test -e /var/lib/p2p/peer2/downloaded/big.bin.part; then
            fail $name "big.bin.part left behind after the resumed download"
        else
            ok $name "stopped at $part of $size bytes (exit 0, .part kept); resumed_from $resumed, verified, sha256sum equal"
        fi
    fi
    peer_restore_rate
}

peer_restore_rate() {
    ct rm -f "$peer_rate_dropin" /var/lib/p2p/peer1/shared/big.bin
    ct timeout 30 systemctl restart p2p-peer@peer1.service
}
