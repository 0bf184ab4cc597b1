#!/usr/bin/env bash
# Lays out the install tree exactly as the .deb installs it, from a static release build:
#
#   scripts/make-dist.sh BIN_DIR OUT_DIR PRODUCT...
#
#   BIN_DIR   where `swift build -c release --static-swift-stdlib` put the executables
#   OUT_DIR   the tree to (re)create, e.g. build/dist
#   PRODUCT   executables to ship: daemons go to usr/sbin, p2pctl to usr/bin
#
# The result:
#   usr/sbin/p2p-indexd, usr/sbin/p2p-peerd, usr/bin/p2pctl   (stripped; those listed)
#   lib/systemd/system/p2p-index.{service,socket}, p2p-peer@.{service,socket}
#   usr/lib/sysusers.d/p2p.conf, usr/lib/tmpfiles.d/p2p.conf
#   etc/p2p/index.conf, etc/p2p/peer.conf, etc/p2p/peers/peer1.conf.example
#
# Each executable is checked with readelf: no RPATH/RUNPATH at all (the toolchain is not on the
# target; lintian rejects them too) and NEEDED only from the system libraries below, which the .deb
# depends on. Exits non-zero on any failure, naming it.
set -euo pipefail

if [ $# -lt 3 ]; then
    echo "usage: $0 BIN_DIR OUT_DIR PRODUCT..." >&2
    exit 2
fi
here=$(cd "$(dirname "$0")/.." && pwd)
bin_dir=$1
out=$2
shift 2

# Shared libraries a shipped executable may need, all from Debian packages (libc6, libgcc-s1,
# libstdc++6, libsystemd0). Anything else (libswiftCore.so, libFoundation.so, …) means the Swift
# runtime was not linked statically and the binary would not run without the toolchain.
allowed_needed=(
    libc.so.6 libm.so.6 libdl.so.2 libpthread.so.0 librt.so.1 libutil.so.1 ld-linux-x86-64.so.2
    ld-linux-aarch64.so.1 libgcc_s.so.1 libstdc++.so.6 libsystemd.so.0
)

destination() {
    case "$1" in
    p2pctl) echo usr/bin ;;
    *) echo usr/sbin ;;
    esac
}

failures=0
fail() {
    echo "make-dist: $*" >&2
    failures=$((failures + 1))
}

# Built beside OUT_DIR and renamed into place only when every check passed: a failed run leaves
# no tree that a test could mistake for a good one (OUT_DIR.new stays for a look).
final=$out
out=$final.new
rm -rf "$out" "$final"
mkdir -p "$out"

for product in "$@"; do
    source_binary="$bin_dir/$product"
    if [ ! -x "$source_binary" ]; then
        fail "$source_binary: not built (is '$product' a product in Package.swift?)"
        continue
    fi
    target="$out/$(destination "$product")/$product"
    install -D -m 0755 "$source_binary" "$target"
    strip --strip-all --remove-section=.comment "$target"

    dynamic=$(readelf -d "$target")
    paths=$(printf '%s\n' "$dynamic" | sed -n 's/.*(\(RPATH\|RUNPATH\)).*\[\(.*\)\]/\1 \2/p')
    if [ -n "$paths" ]; then
        fail "$product has $paths (build with --disable-local-rpath and --static-swift-stdlib)"
    fi
    needed=$(printf '%s\n' "$dynamic" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
    for library in $needed; do
        ok=no
        for allowed in "${allowed_needed[@]}"; do
            [ "$library" = "$allowed" ] && ok=yes
        done
        [ "$ok" = yes ] || fail "$product needs $library, not a system library (static Swift stdlib?)"
    done
    size=$(du -h "$target" | cut -f1)
    echo "make-dist: $(destination "$product")/$product $size, needs: $(printf '%s ' $needed)"
done

install -d -m 0755 "$out/lib/systemd/system"
install -m 0644 "$here"/systemd/p2p-index.service "$here"/systemd/p2p-index.socket \
    "$here"/systemd/p2p-peer@.service "$here"/systemd/p2p-peer@.socket "$out/lib/systemd/system/"
install -D -m 0644 "$here/systemd/sysusers.d/p2p.conf" "$out/usr/lib/sysusers.d/p2p.conf"
install -D -m 0644 "$here/systemd/tmpfiles.d/p2p.conf" "$out/usr/lib/tmpfiles.d/p2p.conf"
# Everything under etc/p2p ships (the .deb marks it conffiles).
(cd "$here/etc" && find p2p -type f) | while read -r file; do
    install -D -m 0644 "$here/etc/$file" "$out/etc/$file"
done

if [ "$failures" -ne 0 ]; then
    echo "make-dist: $failures failure(s); not fit to ship (see $out)" >&2
    exit 1
fi
mv "$out" "$final"
echo "make-dist: $final ready"
