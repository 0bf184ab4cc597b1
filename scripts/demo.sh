#!/usr/bin/env bash
# make demo: build, start an index and two peers on loopback in a scratch folder, share a few
# random files from peer1, search and download them through peer2 with p2pctl, check the
# SHA-256, print stats, stop everything. Exits non-zero with the reason on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\n== %s\n' "$*"; }
fail() { echo "demo: $*" >&2; exit 1; }

if [ "$(id -u)" -eq 0 ]; then scripts/install-build-deps.sh; fi
command -v swift >/dev/null || fail "no Swift toolchain on PATH"

say "building"
swift build --product p2p-indexd >/dev/null
swift build --product p2p-peerd >/dev/null
swift build --product p2pctl >/dev/null
bin=$(swift build --show-bin-path)

scratch=$(mktemp -d "${TMPDIR:-/tmp}/p2p-demo.XXXXXX")
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$scratch"
}
trap cleanup EXIT
mkdir -p "$scratch/etc" "$scratch/peer1/shared" "$scratch/peer2/shared"

# Waits for "listening on HOST:PORT" in a daemon's log and prints the port.
port_of() {
    local log=$1
    for _ in $(seq 100); do
        if grep -q "listening on" "$log" 2>/dev/null; then
            grep -m1 -o "listening on [^ ]*" "$log" | sed 's/.*://'
            return 0
        fi
        sleep 0.1
    done
    cat "$log" >&2
    fail "daemon did not start (log above)"
}

say "starting p2p-indexd and peers peer1, peer2 under $scratch"
"$bin/p2p-indexd" --config-dir "$scratch/etc" --listen-address 127.0.0.1 --port 0 2>"$scratch/index.log" &
pids+=($!)
index_port=$(port_of "$scratch/index.log")
echo "index on 127.0.0.1:$index_port"

say "generating a small random dataset for peer1"
for i in 1 2 3; do head -c $((i * 256 * 1024)) /dev/urandom >"$scratch/peer1/shared/peer1_demo_$i.bin"; done
ls -l "$scratch/peer1/shared"

for peer in peer1 peer2; do
    "$bin/p2p-peerd" --id "$peer" --config-dir "$scratch/etc" --state-dir "$scratch/$peer" --port 0 \
        --set Index.Port="$index_port" --set Peer.ListenAddress=127.0.0.1 2>"$scratch/$peer.log" &
    pids+=($!)
    echo "$peer on 127.0.0.1:$(port_of "$scratch/$peer.log")"
done

ctl() { "$bin/p2pctl" --socket "$scratch/peer2/control.sock" "$@"; }
for _ in $(seq 100); do ctl search peer1_demo_3.bin >/dev/null 2>&1 && break; sleep 0.1; done

say "p2pctl search --glob 'peer1_demo_*'"
ctl search --glob 'peer1_demo_*' || fail "search found nothing"

say "p2pctl download peer1_demo_3.bin"
ctl download peer1_demo_3.bin || fail "download failed"
want=$(sha256sum "$scratch/peer1/shared/peer1_demo_3.bin" | cut -d' ' -f1)
got=$(sha256sum "$scratch/peer2/downloaded/peer1_demo_3.bin" | cut -d' ' -f1)
[ "$want" = "$got" ] || fail "SHA-256 mismatch: $got, expected $want"
echo "sha256sum agrees: $got"

say "p2pctl stats"
ctl stats

say "stopping"
cleanup
trap - EXIT
echo "demo: OK"
