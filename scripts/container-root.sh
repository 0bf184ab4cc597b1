#!/usr/bin/env bash
# Builds (once) a minimal Debian bookworm root in which a real systemd boots as PID 1 of a
# systemd-nspawn container: the shared base of the system tests (tests/system/), which copy it
# for each run and never change it.
#
#   scripts/container-root.sh [ROOT]        # default: build/container-root
#
# Reused as long as ROOT/.p2p-root-stamp matches the suite and package list below; otherwise
# rebuilt from scratch (into ROOT.new, then renamed, so an interrupted run leaves nothing that
# looks complete). The mirror is the one apt on this machine already uses
# (/etc/apt/sources.list.d/debian.sources, else /etc/apt/sources.list); P2P_DEBIAN_MIRROR overrides
# it. Needs root, debootstrap and network access to the mirror.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
root=${1:-$here/build/container-root}
suite=bookworm

# What the root holds beyond debootstrap's minbase. A container started with --private-network
# cannot reach the mirror, so everything a test needs inside must be here already.
packages=(
    # Booting: systemd as PID 1, and what the units rely on.
    systemd systemd-sysv dbus
    procps # /bin/kill, which the units' ExecReload= runs; ps, pgrep for the tests
    iproute2 # ss: which sockets listen, printed when a test fails
    # The .deb's Depends: (packaging/control.in, and dpkg-shlibdeps for the libraries). The system
    # test installs the .deb inside with `apt install ./p2p_*.deb`, which resolves only against
    # what is installed here: add each new Depends: of the .deb to this group.
    libc6 libgcc-s1 libstdc++6 libsystemd0 systemd procps
)

if [ "$(id -u)" -ne 0 ]; then
    echo "container-root: needs root (debootstrap, chroot)" >&2
    exit 1
fi

# The mirror apt uses for the main archive: the first URIs: of a deb822 stanza whose Suites:
# name $suite itself (not $suite-security), or the first matching one-line `deb` entry.
find_mirror() {
    local file=/etc/apt/sources.list.d/debian.sources
    if [ -r "$file" ]; then
        awk -v suite="$suite" '
            function flush() {
                if (uris != "" && (" " suites " ") ~ (" " suite " ") && found == "") {
                    split(uris, u, " "); found = u[1]
                }
                uris = ""; suites = ""
            }
            /^[[:space:]]*$/ { flush(); next }
            /^URIs:/ { sub(/^URIs:[[:space:]]*/, ""); uris = $0 }
            /^Suites:/ { sub(/^Suites:[[:space:]]*/, ""); suites = $0 }
            END { flush(); if (found != "") print found }
        ' "$file"
        return
    fi
    if [ -r /etc/apt/sources.list ]; then
        awk -v suite="$suite" '$1 == "deb" && $0 ~ (" " suite " ") {
            for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; exit }
        }' /etc/apt/sources.list
    fi
}

mirror=${P2P_DEBIAN_MIRROR:-$(find_mirror)}
if [ -z "$mirror" ]; then
    echo "container-root: no $suite mirror found in /etc/apt (set P2P_DEBIAN_MIRROR)" >&2
    exit 1
fi

include=$(printf '%s\n' "${packages[@]}" | sort -u | paste -sd, -)
stamp_text="suite=$suite variant=minbase include=$include"
stamp="$root/.p2p-root-stamp"

if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$stamp_text" ]; then
    echo "container-root: $root is up to date"
    exit 0
fi

new="$root.new"
rm -rf "$new"
mkdir -p "$(dirname "$root")"
echo "container-root: debootstrap $suite from $mirror into $root (packages: $include)"
start=$(date +%s)
if ! debootstrap --variant=minbase --include="$include" "$suite" "$new" "$mirror" >"$new.log" 2>&1; then
    echo "container-root: debootstrap failed; the end of $new.log:" >&2
    tail -n 30 "$new.log" >&2
    exit 1
fi

# Smaller and faster to copy: the downloaded .debs and apt lists are not needed inside.
rm -rf "$new"/var/cache/apt/archives/*.deb "$new"/var/lib/apt/lists/*_Packages
# Tests give each copy a machine id of its own (an empty one would make the boot a "first boot").

printf '%s\n' "$stamp_text" >"$new/.p2p-root-stamp"
rm -rf "$root"
mv "$new" "$root"
mv "$new.log" "$root.debootstrap.log"
echo "container-root: built in $(($(date +%s) - start)) s"
