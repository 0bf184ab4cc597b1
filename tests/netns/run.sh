#!/usr/bin/env bash
# Faults across hosts: the index and each peer in a network namespace of its own, joined by veths
# to a bridge in yet another namespace, with the real daemons started by `ip netns exec` and
# driven with p2pctl.
#
#   tests/netns/run.sh [--bin DIR] [CASE...]
#
#   --bin DIR   where p2p-indexd, p2p-peerd and p2pctl are (default: `swift build --show-bin-path`)
#   CASE...     run only these cases (names as printed), in the order given
#
# Needs root (CAP_NET_ADMIN) and ip from iproute2; without them it prints "skipped: …" and exits 0.
# Each case builds its own network with names unique to it and removes it afterwards, also when it
# fails or the script is interrupted. Each prints `ok NAME (figures)`, `skip NAME: why` or
# `FAIL NAME: reason` with the daemons' last log lines; the last line is `N passed, N failed,
# N skipped`; the exit status is non-zero if any case failed. `make netns-test` runs this.
# Lint: `shellcheck -x tests/netns/run.sh` (follows lib.sh and cases.sh).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
bin=
selected=()
while [ $# -gt 0 ]; do
    case "$1" in
    --bin) bin=$2; shift 2 ;;
    -h | --help) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
    -*) echo "netns: unknown option $1" >&2; exit 2 ;;
    *) selected+=("$1"); shift ;;
    esac
done

# shellcheck source=tests/netns/lib.sh
. "$here/lib.sh"
# shellcheck source=tests/netns/cases.sh
. "$here/cases.sh"

net_require
if [ -z "$bin" ]; then bin=$(cd "$here/../.." && swift build --show-bin-path); fi
for tool in p2p-indexd p2p-peerd p2pctl; do
    [ -x "$bin/$tool" ] || { echo "netns: $bin/$tool is missing; build first (swift build)" >&2; exit 2; }
done
[ ${#selected[@]} -gt 0 ] || selected=("${all_cases[@]}")
for name in "${selected[@]}"; do
    declare -F "case_$name" >/dev/null || { echo "netns: no case $name (cases: ${all_cases[*]})" >&2; exit 2; }
done

scratch=$(mktemp -d "${TMPDIR:-/tmp}/p2p-netns.XXXXXX")
cleanup() {
    net_destroy
    rm -rf "$scratch"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

passed=0
failed=0
skips=0
started=$SECONDS
for name in "${selected[@]}"; do
    work=$scratch/$name
    mkdir -p "$work"
    reason='' detail='' skipped=''
    # A case runs in a subshell-free function so its pids stay ours to kill; `|| status=$?` keeps
    # set -e from ending the run at the first failed case.
    status=0
    "case_$name" || status=$?
    if [ $status -ne 0 ]; then
        echo "FAIL $name: ${reason:-exit status $status}"
        for log in "$work"/*.log; do
            [ -e "$log" ] || continue
            echo "    --- $(basename "$log")"
            tail -n 8 "$log" | sed 's/^/    | /'
        done
        failed=$((failed + 1))
    elif [ -n "$skipped" ]; then
        echo "skip $name: $skipped"
        skips=$((skips + 1))
    else
        echo "ok $name${detail:+ ($detail)}"
        passed=$((passed + 1))
    fi
    net_destroy
done
echo "$passed passed, $failed failed, $skips skipped ($((SECONDS - started)) s)"
[ $failed -eq 0 ]
