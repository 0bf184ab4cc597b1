#!/usr/bin/env bash
# End-to-end test of the .deb under a real systemd (252, Debian bookworm) booted as PID 1 of a
# systemd-nspawn container: `apt install ./p2p_<version>_<arch>.deb` inside, then what
# `systemctl`, `journalctl`, `p2pctl` and an admin see, not what the unit files say.
#
#   tests/system/systemd-e2e.sh [--deb FILE] [--root DIR] [--keep] [CASE...]
#
#   --deb FILE   the package from `make deb` (default build/p2p_<VERSION>_<arch>.deb); installed
#                with apt inside the container, offline (--private-network): the root must hold
#                its Depends: already (scripts/container-root.sh)
#   --root DIR   base root from scripts/container-root.sh (default build/container-root); copied,
#                never changed
#   --keep       keep the container's copy (build/system-test.*) for a look afterwards
#   CASE...      run only these cases (names as printed), in the order given
#
# Needs root (nspawn, nsenter, cgroups). `make system-test` builds both inputs and runs this.
# The package's maintainer scripts do the setup (sysusers, tmpfiles, enabling p2p-index).
# Each case prints `ok NAME` or `FAIL NAME: reason`; the last line is `N passed, N failed`; the
# exit status is non-zero if any case failed.
#
# The cases live in tests/system/cases/*.sh, one file per daemon, sourced in the order of
# `case_files` below. Each file defines case_NAME functions, appends the names to `all_cases` and
# the installed paths it needs to `requires`: package.sh (the install itself; remove, purge and
# reinstall run last, from `late_cases`), index.sh (p2p-indexd), peer.sh (p2p-peerd and p2pctl:
# the user flow as root, a p2p member and an outsider), cluster.sh (ClusterKeyFile= as an admin
# sets it up), units.sh (static checks). Functions
# for cases: ct (run a command inside), request (one protocol line), unit_prop, is_active,
# wait_until, wait_for, journal_count, debug_log + notifications (which sd_notify messages PID 1
# got), ok, fail; $work is a scratch folder on the host.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
deb=$repo/build/p2p_$(tr -d '[:space:]' <"$repo/VERSION")_$(dpkg --print-architecture).deb
base=$repo/build/container-root
keep=no
selected=()
while [ $# -gt 0 ]; do
    case "$1" in
    --deb) deb=$2; shift 2 ;;
    --root) base=$2; shift 2 ;;
    --keep) keep=yes; shift ;;
    -h | --help) sed -n '2,/^set -uo/{/^set -uo/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
    -*) echo "systemd-e2e: unknown option $1" >&2; exit 2 ;;
    *) selected+=("$1"); shift ;;
    esac
done

# shellcheck source=tests/system/container.sh
. "$here/container.sh"

case_files=(package index peer cluster units)
all_cases=()
late_cases=()
requires=()

passed=0
failed=0
started_at=$SECONDS

ok() {
    echo "ok $1${2:+ ($2)}"
    passed=$((passed + 1))
}

fail() {
    echo "FAIL $1: $2"
    failed=$((failed + 1))
    # What an admin would look at first: every p2p unit loaded.
    ct systemctl status --no-pager --lines=15 'p2p-*' 2>&1 | sed 's/^/    | /'
}

# seconds_since T0: seconds, to a tenth, since T0 (from `date +%s%3N`).
seconds_since() {
    local ms=$(($(date +%s%3N) - $1))
    printf '%d.%d' $((ms / 1000)) $((ms % 1000 / 100))
}

# unit_prop UNIT PROPERTY: one property's value.
unit_prop() {
    ct systemctl show -p "$2" --value "$1"
}

# wait_until SECONDS CMD...: polls CMD every 0.2 s; status 0 once it succeeds, 1 at the deadline.
wait_until() {
    local deadline=$((SECONDS + $1))
    shift
    while true; do
        "$@" && return 0
        [ "$SECONDS" -ge "$deadline" ] && return 1
        sleep 0.2
    done
}

# wait_for SECONDS 'EXPRESSION': like wait_until, for a shell expression evaluated afresh at each
# poll (in single quotes, so that command substitutions in it run each time, not once when the
# arguments of wait_until would be expanded): wait_for 5 '[ "$(journal_count U X)" -gt 0 ]'.
wait_for() {
    wait_until "$1" eval "$2"
}

is_active() {
    [ "$(ct systemctl is-active "$1")" = active ]
}

# request PORT LINE: sends one protocol line to 127.0.0.1:PORT inside the container and prints
# the first line of the reply (bash's /dev/tcp: the root needs no client tool).
request() {
    ct timeout 10 bash -c '
        exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
        printf "%s\n" "$2" >&3
        IFS= read -r -t 8 line <&3 || exit 1
        printf "%s\n" "$line"' request "$1" "$2"
}

# journal_count UNIT PATTERN: how many of UNIT's journal entries this boot match (grep -E on the
# messages alone), both the daemon's and PID 1's about the unit.
journal_count() {
    ct journalctl -b -u "$1" --no-pager -o cat | grep -cE -- "$2"
}

# PID 1 logs each sd_notify message it gets ("Got notification message from PID N (READY=1,
# STATUS=…)") at debug level only: debug_log on|off switches its level for the cases that check
# which notifications arrived.
debug_log() {
    case "$1" in
    on) ct systemctl log-level debug ;;
    off) ct systemctl log-level info ;;
    esac
}

# notifications UNIT PID TAG: how many notification messages from PID this boot carried TAG
# (READY=1, RELOADING=1, STOPPING=1, …), as logged while debug_log was on.
notifications() {
    journal_count "$1" "Got notification message from PID $2 \\(.*$3"
}

# The watchdog cases shorten the shipped WatchdogSec= (30 s) with a drop-in for as long as they
# run: they wait for the watchdog to fire, and at 30 s that alone would take longer than all the
# other cases together. 3 s still leaves a daemon 2 pings per period (it pings every WatchdogSec/2).
watchdog_test_sec=3

# unit_restarted UNIT OLD_PID: active again under a new main PID.
unit_restarted() {
    local pid
    pid=$(unit_prop "$1" MainPID)
    [ "$pid" != 0 ] && [ "$pid" != "$2" ] && is_active "$1"
}

# watchdog_restart_case NAME UNIT RESTART_SEC: UNIT ships a WatchdogSec=; with it shortened, the
# daemon pings often enough to outlive it by itself, and once frozen (SIGSTOP) systemd notices
# within WatchdogSec, kills it and restarts it RESTART_SEC later, and says so in the journal.
watchdog_restart_case() {
    local name=$1 unit=$2 restart_sec=$3 shipped pid restarts pings t0 now
    local dropin=/etc/systemd/system/$unit.d/50-e2e-watchdog.conf
    # WatchdogUSec= reads "infinity" until the service has started once with the setting.
    watchdog_restore "$unit" "$dropin"
    shipped=$(unit_prop "$unit" WatchdogUSec)
    if [ -z "$shipped" ] || [ "$shipped" = 0 ] || [ "$shipped" = infinity ]; then
        fail "$name" "$unit sets no WatchdogSec="
        return
    fi
    ct mkdir -p "$(dirname "$dropin")"
    printf '# systemd-e2e.sh: the watchdog case waits seconds, not the shipped %s.\n[Service]\nWatchdogSec=%ss\n' \
        "$shipped" "$watchdog_test_sec" >"$container_root$dropin"
    ct systemctl daemon-reload
    ct systemctl reset-failed "$unit" 2>/dev/null
    ct timeout 30 systemctl restart "$unit"
    pid=$(unit_prop "$unit" MainPID)
    restarts=$(unit_prop "$unit" NRestarts)

    # Alive and pinging: it outlives WatchdogSec by itself.
    debug_log on
    sleep $((watchdog_test_sec + 1))
    debug_log off
    pings=$(notifications "$unit" "$pid" WATCHDOG=1)
    if [ "$(unit_prop "$unit" MainPID)" != "$pid" ] || ! is_active "$unit"; then
        fail "$name" "killed within $((watchdog_test_sec + 1)) s without being frozen ($pings WATCHDOG=1 seen)"
        watchdog_restore "$unit" "$dropin"
        return
    fi
    if [ "$pings" -lt 2 ]; then
        fail "$name" "$pings WATCHDOG=1 in $((watchdog_test_sec + 1)) s with WatchdogSec=${watchdog_test_sec}s"
        watchdog_restore "$unit" "$dropin"
        return
    fi

    # Frozen, it sends no WATCHDOG=1: systemd must notice within WatchdogSec, kill it (SIGABRT,
    # then SIGCONT) and restart it RestartSec later.
    t0=$SECONDS
    ct kill -STOP "$pid"
    if ! wait_until $((watchdog_test_sec + restart_sec + 15)) unit_restarted "$unit" "$pid"; then
        fail "$name" "not restarted $((SECONDS - t0)) s after SIGSTOP (MainPID $(unit_prop "$unit" MainPID))"
        ct kill -CONT "$pid" 2>/dev/null
        watchdog_restore "$unit" "$dropin"
        return
    fi
    now=$(unit_prop "$unit" NRestarts)
    if [ "$now" -le "$restarts" ]; then
        fail "$name" "NRestarts stayed $now"
    elif [ "$(journal_count "$unit" 'Watchdog timeout')" -lt 1 ]; then
        fail "$name" "the journal does not mention the watchdog timeout"
    else
        ok "$name" "WatchdogUSec=$shipped shipped, ${watchdog_test_sec}s here; $pings pings in $((watchdog_test_sec + 1)) s; restarted $((SECONDS - t0)) s after SIGSTOP, NRestarts $restarts -> $now"
    fi
    watchdog_restore "$unit" "$dropin"
}

# watchdog_restore UNIT DROPIN: back to the shipped WatchdogSec=.
watchdog_restore() {
    ct rm -f "$2"
    ct systemctl daemon-reload
    ct timeout 30 systemctl restart "$1"
}

# ---------------------------------------------------------------------------- main

if [ "$(id -u)" -ne 0 ]; then
    echo "systemd-e2e: needs root (systemd-nspawn, nsenter, cgroups)" >&2
    exit 1
fi
for tool in systemd-nspawn nsenter ps dpkg; do
    command -v "$tool" >/dev/null || { echo "systemd-e2e: $tool missing (scripts/install-build-deps.sh)" >&2; exit 1; }
done
for file in "${case_files[@]}"; do
    # shellcheck source=/dev/null
    . "$here/cases/$file.sh"
done
[ -f "$deb" ] || { echo "systemd-e2e: no $deb (make deb)" >&2; exit 1; }

cases=("${all_cases[@]}" "${late_cases[@]}")
[ ${#selected[@]} -gt 0 ] && cases=("${selected[@]}")
for case_name in "${cases[@]}"; do
    declare -F "case_$case_name" >/dev/null || { echo "systemd-e2e: no case '$case_name'" >&2; exit 2; }
done

mkdir -p "$repo/build"
work=$(mktemp -d "$repo/build/system-test.XXXXXX")
cleanup() {
    if [ "$keep" = yes ]; then
        container_root="" # container_cleanup then leaves the copy
        echo "systemd-e2e: kept $work"
    fi
    container_cleanup
    [ "$keep" = yes ] || rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

t0=$(date +%s%3N)
container_create "$base" "$work" "p2p-e2e-$$" || exit 1
package_file=/var/tmp/$(basename "$deb")
cp "$deb" "$container_root$package_file" || exit 1
t_copy=$(seconds_since "$t0")
t0=$(date +%s%3N)
container_boot || exit 1
echo "systemd-e2e: container $container_name up (copy ${t_copy} s, boot $(seconds_since "$t0") s)"

# As people install it (package.sh): apt install ./p2p_<version>_<arch>.deb, offline.
t0=$(date +%s%3N)
if ! output=$(package_apt install "./$(basename "$deb")" 2>&1) || [ -n "$(package_complaints "$output")" ]; then
    printf '%s\n' "$output" | sed 's/^/    | /' >&2
    echo "systemd-e2e: apt install ./$(basename "$deb") failed or complained" >&2
    exit 1
fi
echo "systemd-e2e: apt install ./$(basename "$deb") in $(seconds_since "$t0") s"
for path in "${requires[@]}"; do
    ct test -e "/$path" || { echo "systemd-e2e: the package installed no /$path" >&2; exit 1; }
done

t_cases=$(date +%s%3N)
for case_name in "${cases[@]}"; do
    "case_$case_name"
done

echo "systemd-e2e: cases done in $(seconds_since "$t_cases") s, $((SECONDS - started_at)) s in all"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
