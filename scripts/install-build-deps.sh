#!/usr/bin/env bash
# Installs the Debian packages that building and testing p2p need. Safe to run again: it only
# installs what is missing. Needs root (it says so otherwise). With --list, prints the package
# names only (CI installs them with apt-get itself).
set -euo pipefail

packages=(
    libsystemd-dev   # sd_notify, sd_listen_fds_with_names, sd_journal_sendv
    pkg-config       # finds libsystemd for the Swift build
    systemd          # systemd-analyze (unit checks), systemd-socket-activate (activation tests)
    binutils         # make dist: strip, readelf
    docker-compose   # make check-compose: validates docker-compose.yml without a Docker engine
    mandoc           # make check-man: mandoc -T lint of the man pages in man/
    # make deb / check-deb: dpkg-deb is in dpkg itself.
    dpkg-dev         # dpkg-shlibdeps: the Depends: on shared libraries
    lintian          # make check-deb
    # make system-test: a bookworm root (scripts/container-root.sh) booted with systemd-nspawn.
    systemd-container       # systemd-nspawn
    debootstrap
    debian-archive-keyring  # debootstrap checks the mirror's signatures (a Recommends: of it)
    procps                  # ps: finds the container's PID 1
    # make netns-test: network namespaces, veths, a bridge; netem where the kernel has it, else
    # an nftables rule for the loss.
    iproute2                # ip, tc
    nftables                # nft
)

if [ "${1:-}" = "--list" ]; then
    printf '%s\n' "${packages[@]}"
    exit 0
fi

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
    echo "missing build packages: ${missing[*]} (run as root, or: sudo apt-get install ${missing[*]})" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
