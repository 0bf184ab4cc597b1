#!/usr/bin/env bash
# Lays out the install tree exactly as the .deb installs it, from a static release build:
#
#   scripts/make-dist.sh BIN_DIR OUT_DIR
#
#   BIN_DIR   where `swift build -c release --static-swift-stdlib --product p2p-multicall` put it
#   OUT_DIR   the tree to (re)create, e.g. build/dist
#
# The result:
#   usr/lib/p2p/p2p-multicall   the one executable (stripped): all three commands, chosen by argv[0]
#   usr/sbin/p2p-indexd, usr/sbin/p2p-peerd -> ../lib/p2p/p2p-multicall   (relative symlinks)
#   usr/bin/p2pctl -> ../lib/p2p/p2p-multicall
#   lib/systemd/system/p2p-index.{service,socket}, p2p-peer@.{service,socket}
#   usr/lib/sysusers.d/p2p.conf, usr/lib/tmpfiles.d/p2p.conf
#   etc/p2p/index.conf, etc/p2p/peer.conf, etc/p2p/peers/peer1.conf.example
#
# Why one binary: a static Swift executable carries its own Swift runtime, NIO and our modules;
# three of them took 66 MiB, one holding all three commands 26 MiB (the package's budget is 45 MiB). Symlinks rather than hard links: dpkg and lintian handle them plainly, `ls -l`
# shows what they are, and the name run (argv[0], also the process name) stays the command's.
#
# The executable is checked with readelf: no RPATH/RUNPATH at all (the toolchain is not on the
# target; lintian rejects them too) and NEEDED only from the system libraries below, which the .deb
# depends on; each link is run with --help and must answer as its own command. Exits non-zero on
# any failure, naming it.
set -euo pipefail

if [ $# -ne 2 ]; then
    echo "usage: $0 BIN_DIR OUT_DIR" >&2
    exit 2
fi
here=$(cd "$(dirname "$0")/.." && pwd)
bin_dir=$1
out=$2

# The executable that ships, where it goes, and the commands linked to it (name:directory).
multicall=p2p-multicall
multicall_dir=usr/lib/p2p
commands=(p2p-indexd:usr/sbin p2p-peerd:usr/sbin p2pctl:usr/bin)

# Shared libraries the executable may need, all from Debian packages (libc6, libgcc-s1,
# libstdc++6, libsystemd0). Anything else (libswiftCore.so, libFoundation.so, …) means the Swift
# runtime was not linked statically and the binary would not run without the toolchain.
allowed_needed=(
    libc.so.6 libm.so.6 libdl.so.2 libpthread.so.0 librt.so.1 libutil.so.1 ld-linux-x86-64.so.2
    ld-linux-aarch64.so.1 libgcc_s.so.1 libstdc++.so.6 libsystemd.so.0
)

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

source_binary="$bin_dir/$multicall"
target="$out/$multicall_dir/$multicall"
if [ ! -x "$source_binary" ]; then
    fail "$source_binary: not built (swift build --product $multicall)"
else
    install -D -m 0755 "$source_binary" "$target"
    strip --strip-all --remove-section=.comment "$target"

    dynamic=$(readelf -d "$target")
    paths=$(printf '%s\n' "$dynamic" | sed -n 's/.*(\(RPATH\|RUNPATH\)).*\[\(.*\)\]/\1 \2/p')
    if [ -n "$paths" ]; then
        fail "$multicall has $paths (build with --disable-local-rpath and --static-swift-stdlib)"
    fi
    needed=$(printf '%s\n' "$dynamic" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
    for library in $needed; do
        ok=no
        for allowed in "${allowed_needed[@]}"; do
            [ "$library" = "$allowed" ] && ok=yes
        done
        [ "$ok" = yes ] || fail "$multicall needs $library, not a system library (static Swift stdlib?)"
    done
    echo "make-dist: $multicall_dir/$multicall $(du -h "$target" | cut -f1), needs: $(printf '%s ' $needed)"

    for entry in "${commands[@]}"; do
        name=${entry%%:*}
        directory=${entry#*:}
        # ../lib/p2p/p2p-multicall from usr/sbin and usr/bin: the link's directory is one level
        # below usr, as is the executable's parent.
        relative=../${multicall_dir#usr/}/$multicall
        install -d "$out/$directory"
        ln -s "$relative" "$out/$directory/$name"
        usage=$("$out/$directory/$name" --help 2>&1 | sed -n 's/^USAGE: \([^ ]*\).*/\1/p' | head -n 1) || true
        if [ "$usage" = "$name" ]; then
            echo "make-dist: $directory/$name -> $relative"
        else
            fail "$directory/$name --help does not answer as $name (USAGE: '$usage')"
        fi
    done
fi

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
