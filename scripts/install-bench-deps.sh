#!/usr/bin/env bash
# Installs the Debian packages `make bench` measures its anchors with and draws its plots with.
# None is needed to build or test p2p: without them `make bench` reports each anchor as skipped.
# Safe to run again: it installs only what is missing. Needs root (it says so otherwise).
# --list prints the package names; --check prints what is missing and how to install it (exit 1
# when something is).
set -euo pipefail

packages=(
    rsync         # anchor: rsync --daemon serving the same file, fetched by the rsync client
    nginx-light   # anchor: nginx with sendfile on serving the same file ...
    curl          # ... fetched by curl -o into a fresh file
    iperf3        # the ceiling: one TCP stream over loopback, memory to memory
    redis-server  # search anchor: a tuned single-threaded lookup server ...
    redis-tools   # ... driven by redis-benchmark -t get
    gnuplot-nox   # the PNG plots
)

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

case "${1:-}" in
--list)
    printf '%s\n' "${packages[@]}"
    exit 0
    ;;
--check)
    if [ ${#missing[@]} -gt 0 ]; then
        echo "bench anchors and plots need: ${missing[*]}" >&2
        echo "  install them with: sudo scripts/install-bench-deps.sh" >&2
        echo "  (without them the run goes on and reports those anchors as skipped)" >&2
        exit 1
    fi
    exit 0
    ;;
esac

[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
    echo "missing bench packages: ${missing[*]} (run as root, or: sudo apt-get install ${missing[*]})" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# nginx and redis are only ever started by p2p-bench, with configs of its own; the packages'
# own services are not needed (and are not started where no init system runs).
apt-get install -y -qq --no-install-recommends "${missing[@]}"
