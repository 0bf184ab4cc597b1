# Cases for p2p-indexd and its units (p2p-index.service, p2p-index.socket). Sourced by
# systemd-e2e.sh, which provides the helpers.

requires+=(usr/sbin/p2p-indexd lib/systemd/system/p2p-index.service lib/systemd/system/p2p-index.socket)

# Order matters only for speed: each case first restores what it needs (index_ensure_started).
all_cases+=(
    index_starts
    index_answers
    index_status_text
    index_journal_fields
    index_reload
    index_reload_bad_config
    index_passed_socket_wins
    index_clean_stop
    index_socket_activation
    index_watchdog_restart
    index_bad_config_no_restart_loop
)

index_restart_sec=2 # RestartSec= of p2p-index.service

index_ensure_started() {
    is_active p2p-index.service && return 0
    ct systemctl reset-failed p2p-index.service p2p-index.socket 2>/dev/null
    ct timeout 30 systemctl start p2p-index.service
}

index_stats_request='{"type":"STATS_REQUEST","payload":{}}'

case_index_starts() {
    local name=index_starts pid order
    ct timeout 30 systemctl stop p2p-index.service p2p-index.socket 2>/dev/null
    debug_log on
    if ! ct timeout 30 systemctl start p2p-index.service; then
        debug_log off
        fail $name "systemctl start p2p-index failed"
        return
    fi
    pid=$(unit_prop p2p-index.service MainPID)
    wait_for 5 '[ "$(notifications p2p-index.service "$pid" READY=1)" -gt 0 ]'
    debug_log off
    is_active p2p-index.service || { fail $name "p2p-index.service is $(ct systemctl is-active p2p-index.service)"; return; }
    # Wants=p2p-index.socket: the socket comes up with it and holds port 7000.
    is_active p2p-index.socket || { fail $name "p2p-index.socket is not active"; return; }
    # Type=notify: the start job ends with READY=1 (sent once the socket listens), not at fork.
    # PID 1 logs both, in order: READY=1 must come before "Started".
    order=$(ct journalctl -b -u p2p-index.service --no-pager -o cat | awk -v pid="$pid" '
        /Starting p2p-index.service/ { ready = 0; started = 0; n = 0 }
        { n++ }
        index($0, "Got notification message from PID " pid " (") && /READY=1/ && !ready { ready = n }
        /Started p2p-index.service/ && !started { started = n }
        END { print (ready && started && ready < started) ? "ready-first" : "ready " ready ", started " started }')
    if [ "$order" != ready-first ]; then
        fail $name "start did not wait for READY=1 (journal lines: $order)"
        return
    fi
    ok $name "Type=$(unit_prop p2p-index.service Type): started after READY=1, MainPID $pid"
}

case_index_answers() {
    local name=index_answers reply
    index_ensure_started
    reply=$(request 7000 '{"type":"REGISTRY_REQUEST","peer_id":"e2e-peer","payload":{"files":{"e2e-a.txt":{"size":1},"e2e-b.txt":{"size":2}},"peer":{"host":"127.0.0.1","port":7100}}}')
    case "$reply" in
    *'"status":"ok"'*'"registered_files":2'* | *'"registered_files":2'*'"status":"ok"'*) ;;
    *) fail $name "REGISTRY_REQUEST: got '$reply'"; return ;;
    esac
    reply=$(request 7000 '{"type":"SEARCH_REQUEST","payload":{"query":{"file_name":"e2e-a.txt"}}}')
    case "$reply" in
    *'"status":"ok"'*) ;;
    *) fail $name "SEARCH_REQUEST: got '$reply'"; return ;;
    esac
    case "$reply" in
    *'"peer_id":"e2e-peer"'*) ;;
    *) fail $name "SEARCH_REQUEST does not find the registered peer: '$reply'"; return ;;
    esac
    reply=$(request 7000 "$index_stats_request")
    case "$reply" in
    *'"status":"ok"'*) ok $name "registry, search, stats on 127.0.0.1:7000" ;;
    *) fail $name "STATS_REQUEST: got '$reply'" ;;
    esac
}

index_status_is_live() {
    [[ "$(unit_prop p2p-index.service StatusText)" =~ ^[0-9]+\ peers,\ [0-9]+\ files ]]
}

case_index_status_text() {
    local name=index_status_text
    index_ensure_started
    # The daemon refreshes STATUS= every 5 s; the first one says "Listening on …".
    if wait_until 7 index_status_is_live; then
        ok $name "StatusText=$(unit_prop p2p-index.service StatusText)"
    else
        fail $name "StatusText is '$(unit_prop p2p-index.service StatusText)' after 7 s"
    fi
}

case_index_journal_fields() {
    local name=index_journal_fields entries entry
    index_ensure_started
    entries=$(ct journalctl -b -u p2p-index.service -o json --no-pager)
    # The daemon's own entries (not systemd's about the unit), sent with sd_journal_sendv.
    entry=$(printf '%s\n' "$entries" | grep '"SYSLOG_IDENTIFIER":"p2p-indexd"' | grep -m1 '"MESSAGE":"listening on ')
    if [ -z "$entry" ]; then
        fail $name "no entry with SYSLOG_IDENTIFIER=p2p-indexd and MESSAGE=listening on …"
        return
    fi
    local field missing=""
    for field in '"PRIORITY":"6"' '"_TRANSPORT":"journal"' '"CODE_FILE":"' '"CODE_LINE":"' '"CODE_FUNC":"' \
        '"_SYSTEMD_UNIT":"p2p-index.service"'; do
        case "$entry" in
        *"$field"*) ;;
        *) missing="$missing $field" ;;
        esac
    done
    if [ -n "$missing" ]; then
        fail $name "the 'listening on' entry lacks$missing: $entry"
    else
        ok $name "PRIORITY=6, CODE_FILE/CODE_LINE/CODE_FUNC, _TRANSPORT=journal"
    fi
}

case_index_reload() {
    local name=index_reload pid before states reloading ready
    index_ensure_started
    pid=$(unit_prop p2p-index.service MainPID)
    before=$(journal_count p2p-index.service 'SIGHUP: reloading the configuration')
    reloading=$(notifications p2p-index.service "$pid" RELOADING=1)
    ready=$(notifications p2p-index.service "$pid" READY=1)
    debug_log on
    if ! ct timeout 30 systemctl reload p2p-index.service; then
        debug_log off
        fail $name "systemctl reload failed"
        return
    fi
    states=$(unit_prop p2p-index.service ActiveState,SubState | paste -sd/)
    wait_for 5 '[ "$(notifications p2p-index.service "$pid" READY=1)" -gt "$ready" ]'
    debug_log off
    if ! wait_for 5 '[ "$(journal_count p2p-index.service "SIGHUP: reloading the configuration")" -gt "$before" ]'; then
        fail $name "no reload message in the journal"
        return
    fi
    wait_for 5 '[ "$(unit_prop p2p-index.service SubState)" = running ]'
    local after
    after=$(unit_prop p2p-index.service ActiveState,SubState | paste -sd/)
    if [ "$(notifications p2p-index.service "$pid" RELOADING=1)" -le "$reloading" ]; then
        fail $name "systemd got no RELOADING=1 from the daemon"
    elif [ "$(notifications p2p-index.service "$pid" READY=1)" -le "$ready" ]; then
        fail $name "systemd got no READY=1 after the reload"
    elif [ "$after" != active/running ]; then
        fail $name "after the reload the unit is $after"
    elif [ "$(unit_prop p2p-index.service MainPID)" != "$pid" ]; then
        fail $name "MainPID changed from $pid: reload restarted the daemon"
    elif [ "$(unit_prop p2p-index.service StatusText)" != Reloaded ]; then
        fail $name "StatusText after reload is '$(unit_prop p2p-index.service StatusText)'"
    else
        ok $name "RELOADING=1 then READY=1; right after: $states, then $after, same MainPID, StatusText=Reloaded"
    fi
}

case_index_reload_bad_config() {
    local name=index_reload_bad_config pid before
    index_ensure_started
    pid=$(unit_prop p2p-index.service MainPID)
    before=$(journal_count p2p-index.service 'reload failed')
    mkdir -p "$container_root/etc/p2p/index.conf.d"
    printf '[Index]\nHeartbeatTTLSec=soon\n' >"$container_root/etc/p2p/index.conf.d/50-e2e-bad.conf"
    ct timeout 30 systemctl reload p2p-index.service
    wait_for 5 '[ "$(journal_count p2p-index.service "reload failed")" -gt "$before" ]'
    local status
    status=$(unit_prop p2p-index.service StatusText)
    rm -f "$container_root/etc/p2p/index.conf.d/50-e2e-bad.conf"
    if [ "$(journal_count p2p-index.service 'reload failed')" -le "$before" ]; then
        fail $name "no 'reload failed' in the journal"
    elif ! is_active p2p-index.service || [ "$(unit_prop p2p-index.service MainPID)" != "$pid" ]; then
        fail $name "a bad config on reload stopped or restarted the daemon"
    elif [[ "$status" != *"Reload failed"* ]]; then
        fail $name "StatusText is '$status'"
    elif [[ "$(request 7000 "$index_stats_request")" != *'"status":"ok"'* ]]; then
        fail $name "the daemon stopped answering after a failed reload"
    else
        ok $name "still active, same MainPID, StatusText=$status"
    fi
}

case_index_passed_socket_wins() {
    local name=index_passed_socket_wins before
    index_ensure_started
    before=$(journal_count p2p-index.service 'using the index socket passed by systemd')
    mkdir -p "$container_root/etc/p2p/index.conf.d"
    printf '[Index]\nPort=7099\n' >"$container_root/etc/p2p/index.conf.d/50-e2e-port.conf"
    ct timeout 30 systemctl restart p2p-index.service
    local reply other
    reply=$(request 7000 "$index_stats_request")
    other=$(request 7099 "$index_stats_request" 2>/dev/null)
    rm -f "$container_root/etc/p2p/index.conf.d/50-e2e-port.conf"
    if [[ "$reply" != *'"status":"ok"'* ]]; then
        fail $name "with Port=7099 configured, nothing answers on the socket unit's 7000: '$reply'"
    elif [ -n "$other" ]; then
        fail $name "the daemon also listens on its configured 7099"
    elif [ "$(journal_count p2p-index.service 'using the index socket passed by systemd')" -le "$before" ]; then
        fail $name "the daemon did not log that it uses the passed socket"
    else
        ok $name "Port=7099 configured, served on 7000 from p2p-index.socket"
    fi
}

case_index_clean_stop() {
    local name=index_clean_stop pid t0 code status
    index_ensure_started
    pid=$(unit_prop p2p-index.service MainPID)
    debug_log on
    t0=$(date +%s%3N)
    ct timeout 30 systemctl stop p2p-index.service 2>/dev/null
    local took
    took=$(seconds_since "$t0")
    wait_for 5 '[ "$(notifications p2p-index.service "$pid" STOPPING=1)" -gt 0 ]'
    debug_log off
    code=$(unit_prop p2p-index.service ExecMainCode)
    status=$(unit_prop p2p-index.service ExecMainStatus)
    # ExecMainCode 1 is CLD_EXITED: it exited by itself, rather than died of the SIGTERM.
    if [ "$code" != 1 ] || [ "$status" != 0 ]; then
        fail $name "on SIGTERM the daemon ended with code $code status $status, want exit 0"
    elif [ "$(notifications p2p-index.service "$pid" STOPPING=1)" -lt 1 ]; then
        fail $name "systemd got no STOPPING=1"
    elif [ "$(unit_prop p2p-index.service Result)" != success ]; then
        fail $name "Result=$(unit_prop p2p-index.service Result)"
    else
        ok $name "STOPPING=1, exit 0 in $took s"
    fi
}

case_index_socket_activation() {
    local name=index_socket_activation reply
    index_ensure_started
    ct timeout 30 systemctl stop p2p-index.service 2>/dev/null
    if is_active p2p-index.service; then
        fail $name "p2p-index.service still active after stop"
        return
    fi
    if ! is_active p2p-index.socket; then
        fail $name "p2p-index.socket is not active"
        return
    fi
    reply=$(request 7000 "$index_stats_request")
    if [[ "$reply" != *'"status":"ok"'* ]]; then
        fail $name "a connection to the socket got '$reply'"
    elif ! is_active p2p-index.service; then
        fail $name "the service is $(ct systemctl is-active p2p-index.service) after a connection"
    else
        ok $name "stopped service started by a connection, which got its reply"
    fi
}

case_index_watchdog_restart() {
    watchdog_restart_case index_watchdog_restart p2p-index.service "$index_restart_sec"
}

case_index_bad_config_no_restart_loop() {
    local name=index_bad_config_no_restart_loop restarts reason
    index_ensure_started
    mkdir -p "$container_root/etc/p2p/index.conf.d"
    printf '[Index]\nPort=abc\n' >"$container_root/etc/p2p/index.conf.d/bad.conf"
    if ct timeout 30 systemctl restart p2p-index.service 2>/dev/null; then
        fail $name "systemctl restart succeeded with Port=abc"
        rm -f "$container_root/etc/p2p/index.conf.d/bad.conf"
        return
    fi
    # A manual start resets NRestarts, so count from here. Then wait longer than RestartSec: a
    # unit that restarts on exit 78 would have tried again by now.
    restarts=$(unit_prop p2p-index.service NRestarts)
    sleep $((index_restart_sec + 1))
    local state status now
    state=$(unit_prop p2p-index.service ActiveState)
    status=$(unit_prop p2p-index.service ExecMainStatus)
    now=$(unit_prop p2p-index.service NRestarts)
    reason=$(ct journalctl -b -u p2p-index.service --no-pager -o cat | grep -E 'p2p-indexd: .*Port.*abc' | tail -n 1)
    local count
    count=$(journal_count p2p-index.service 'p2p-indexd: .*Port.*abc')
    rm -f "$container_root/etc/p2p/index.conf.d/bad.conf"
    if [ "$status" != 78 ]; then
        fail $name "exit status $status, want 78 (EX_CONFIG)"
    elif [ "$now" != "$restarts" ] || [ "$count" -ne 1 ]; then
        fail $name "restarted on a config error: NRestarts $restarts -> $now, $count failed starts"
    elif [ "$state" != failed ]; then
        fail $name "ActiveState=$state, want failed"
    elif [ -z "$reason" ]; then
        fail $name "no one-line reason naming Port and abc in the journal"
    elif ! ct systemctl reset-failed p2p-index.service || ! ct timeout 30 systemctl start p2p-index.service; then
        fail $name "does not start again once bad.conf is gone"
    else
        ok $name "exit 78, failed, not restarted; journal: $reason"
    fi
}

